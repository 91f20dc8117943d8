package dev.llmgateway.provider.sse;

/**
 * One Server-Sent Event.
 *
 * @param event the event type; {@code "message"} when the stream named none
 * @param data  the data lines, joined with {@code \n}
 */
public record SseEvent(String event, String data) {
}
