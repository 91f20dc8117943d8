package dev.llmgateway.provider.anthropic;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.ChatChunks;
import dev.llmgateway.provider.AnswerMemory;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.SseChunkStream;
import dev.llmgateway.provider.UpstreamBody;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.UpstreamHttp;
import dev.llmgateway.provider.sse.SseEvent;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.HashMap;
import java.util.Map;

/**
 * Anthropic's event stream as OpenAI chunks: message_start → the role chunk; text and tool-input deltas →
 * content and tool-call deltas; message_delta → the finish reason; message_stop → the usage chunk.
 */
final class AnthropicChunkStream extends SseChunkStream {

    private final long created = System.currentTimeMillis() / 1000;
    private ChatChunks chunks = new ChatChunks("", created, "");
    /** Anthropic content-block index → OpenAI tool-call index. */
    private final Map<Integer, Integer> toolCalls = new HashMap<>();
    private JsonObject inputUsage = JsonValue.EMPTY_JSON_OBJECT;
    private long outputTokens;
    private boolean finished;

    AnthropicChunkStream(UpstreamHttp http, UpstreamBody body, AnswerMemory memory) {
        super(http, body, memory);
    }

    @Override
    public Chunk next() throws ProviderException {
        SseEvent event;
        while (!finished && (event = nextEvent()) != null) {
            JsonObject data = parse(event.data());
            Chunk chunk = translate(Json.string(data, "type").orElse(event.event()), data);
            if (chunk != null) {
                return chunk;
            }
        }
        if (finished) {
            complete();
            return null;
        }
        close();
        finished = true;
        throw UpstreamFailures.malformed(provider(), "a stream that ended before message_stop", null);
    }

    private Chunk translate(String type, JsonObject data) throws ProviderException {
        switch (type) {
            case "message_start" -> {
                JsonObject message = Json.object(data, "message").orElse(JsonValue.EMPTY_JSON_OBJECT);
                chunks = new ChatChunks(Json.string(message, "id").orElse(""), created, Json.string(message, "model").orElse(""));
                inputUsage = Json.object(message, "usage").orElse(JsonValue.EMPTY_JSON_OBJECT);
                outputTokens = Json.integer(inputUsage, "output_tokens").orElse(0);
                return chunks.choice(Json.object().add("role", "assistant").add("content", ""), null);
            }
            case "content_block_start" -> {
                JsonObject block = Json.object(data, "content_block").orElse(JsonValue.EMPTY_JSON_OBJECT);
                if ("tool_use".equals(Json.string(block, "type").orElse(""))) {
                    int index = toolCalls.size();
                    toolCalls.put((int) Json.integer(data, "index").orElse(0), index);
                    return chunks.choice(Json.object().add("tool_calls", Json.array().add(Json.object().add("index", index)
                            .add("id", Json.string(block, "id").orElse("")).add("type", "function")
                            .add("function", Json.object().add("name", Json.string(block, "name").orElse("")).add("arguments", "")))), null);
                }
                return null;
            }
            case "content_block_delta" -> {
                JsonObject delta = Json.object(data, "delta").orElse(JsonValue.EMPTY_JSON_OBJECT);
                return switch (Json.string(delta, "type").orElse("")) {
                    case "text_delta" -> chunks.choice(Json.object().add("content", Json.string(delta, "text").orElse("")), null);
                    case "input_json_delta" -> chunks.choice(Json.object().add("tool_calls", Json.array().add(Json.object()
                            .add("index", toolCalls.getOrDefault((int) Json.integer(data, "index").orElse(0), 0))
                            .add("function", Json.object().add("arguments", Json.string(delta, "partial_json").orElse(""))))), null);
                    default -> null;
                };
            }
            case "message_delta" -> {
                outputTokens = Json.object(data, "usage").flatMap(u -> Json.integer(u, "output_tokens").stream().boxed().findFirst())
                        .orElse(outputTokens);
                String stopReason = Json.object(data, "delta").flatMap(d -> Json.string(d, "stop_reason")).orElse(null);
                return chunks.choice(Json.object(), AnthropicResponse.finishReason(stopReason));
            }
            case "message_stop" -> {
                finished = true;
                return chunks.usage(AnthropicResponse.usage(inputUsage, outputTokens));
            }
            case "error" -> throw failedMidStream(Json.toText(data));
            default -> {
                return null; // ping, content_block_stop, and event types added after this was written
            }
        }
    }
}
