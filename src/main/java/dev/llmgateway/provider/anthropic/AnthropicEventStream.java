package dev.llmgateway.provider.anthropic;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.AnswerMemory;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.SseChunkStream;
import dev.llmgateway.provider.UpstreamBody;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.UpstreamHttp;
import dev.llmgateway.provider.Usage;
import dev.llmgateway.provider.sse.SseEvent;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

/**
 * Anthropic's event stream passed on as it came, every event in order (pings, thinking and signature deltas, event
 * types added after this was written): each is only read, for the usage Anthropic spreads over message_start and
 * message_delta, which the message_delta chunk reports summed up.
 */
final class AnthropicEventStream extends SseChunkStream {

    private JsonObject inputUsage = JsonValue.EMPTY_JSON_OBJECT;
    private boolean finished;

    AnthropicEventStream(UpstreamHttp http, UpstreamBody body, AnswerMemory memory) {
        super(http, body, memory);
    }

    @Override
    public Chunk next() throws ProviderException {
        if (finished) {
            complete();
            return null;
        }
        SseEvent event = nextEvent();
        if (event == null) {
            close();
            finished = true;
            throw UpstreamFailures.malformed(provider(), "a stream that ended before message_stop", null);
        }
        JsonObject data = parse(event.data());
        String type = Json.string(data, "type").orElse(event.event() == null ? "" : event.event());
        switch (type) {
            case "message_start" -> {
                inputUsage = Json.object(data, "message").flatMap(m -> Json.object(m, "usage")).orElse(JsonValue.EMPTY_JSON_OBJECT);
                return new Chunk(event.data(), data);
            }
            case "message_delta" -> {
                return new Chunk(event.data(), data, usage(inputUsage, Json.object(data, "usage").orElse(JsonValue.EMPTY_JSON_OBJECT)));
            }
            case "message_stop" -> {
                finished = true;
                return new Chunk(event.data(), data);
            }
            case "error" -> throw failedMidStream(event.data());
            default -> {
                return new Chunk(event.data(), data);
            }
        }
    }

    /** The answer's usage in the gateway's terms, from message_start's counts and message_delta's (cumulative) ones. */
    static Usage usage(JsonObject started, JsonObject delta) {
        var builder = Json.object(started);
        delta.forEach(builder::add); // message_delta's counts are cumulative: they replace message_start's
        JsonObject merged = builder.build();
        long output = Json.integer(merged, "output_tokens").orElse(-1);
        return Usage.of(Json.object().add("usage", AnthropicResponse.usage(merged, output)).build());
    }
}
