package dev.llmgateway.inference;

import jakarta.json.JsonObject;

/**
 * A validated chat-completions request.
 *
 * @param model        the model name the client asked for
 * @param body         the request as sent, in OpenAI's shape
 * @param includeUsage whether the client asked for the usage chunk at the end of a stream
 */
public record ChatRequest(String model, JsonObject body, boolean stream, boolean includeUsage) {
}
