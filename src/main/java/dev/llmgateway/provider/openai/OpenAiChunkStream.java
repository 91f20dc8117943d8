package dev.llmgateway.provider.openai;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.AnswerMemory;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.SseChunkStream;
import dev.llmgateway.provider.UpstreamBody;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.UpstreamHttp;
import dev.llmgateway.provider.sse.SseEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;


/**
 * OpenAI's event stream: one JSON chunk per {@code data:} event, closed by {@code data: [DONE]}; for the Responses API
 * one typed event per {@code data:}, closed by {@code response.completed} and the end of the body.
 */
final class OpenAiChunkStream extends SseChunkStream {

    private boolean finished;
    private boolean sawFinishReason;

    OpenAiChunkStream(UpstreamHttp http, UpstreamBody body, AnswerMemory memory) {
        super(http, body, memory);
    }

    @Override
    public Chunk next() throws ProviderException {
        if (finished) {
            return null;
        }
        SseEvent event;
        while ((event = nextEvent()) != null) {
            String data = event.data();
            if (data.equals("[DONE]")) {
                finished = true;
                complete();
                return null;
            }
            if (data.isBlank()) {
                continue;
            }
            JsonObject json = parse(data);
            String type = json.get("type") instanceof JsonString t ? t.getString() : "";
            if (json.containsKey("error")) {
                throw failedMidStream(data);
            }
            if (type.equals("error") || type.equals("response.failed")) {
                // the Responses API names its failure in the event, or in the failed response's error
                JsonObject error = type.equals("error") ? json : Json.object(json, "response").flatMap(r -> Json.object(r, "error"))
                        .orElse(JsonObject.EMPTY_JSON_OBJECT);
                throw failedMidStream(Json.toText(Json.object().add("error", error).build()));
            }
            if (hasFinishReason(json) && !type.isEmpty()) {
                // the Responses API's last event: nothing follows, so the connection goes back without waiting for the body to end
                finished = true;
                complete();
                return new Chunk(data, json);
            }
            sawFinishReason |= hasFinishReason(json);
            return new Chunk(data, json);
        }
        finished = true;
        close();
        // some compatible servers omit [DONE]: a stream that ended without it is whole if its answer had finished
        if (!sawFinishReason) {
            throw UpstreamFailures.malformed(provider(), "a stream that ended before its last chunk", null);
        }
        return null;
    }

    /** A chat chunk with a finish reason, or the Responses API's closing event (its streams end without [DONE]). */
    private static boolean hasFinishReason(JsonObject chunk) {
        if (chunk.get("type") instanceof JsonString type) {
            return type.getString().equals("response.completed") || type.getString().equals("response.incomplete");
        }
        return Json.array(chunk, "choices").stream().flatMap(JsonArray::stream)
                .anyMatch(c -> c instanceof JsonObject choice && Json.string(choice, "finish_reason").isPresent());
    }
}
