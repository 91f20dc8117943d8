package dev.llmgateway.provider.openai;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.SseChunkStream;
import dev.llmgateway.provider.UpstreamBody;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.UpstreamHttp;
import dev.llmgateway.provider.sse.SseEvent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;


/** OpenAI's event stream: one JSON chunk per {@code data:} event, closed by {@code data: [DONE]}. */
final class OpenAiChunkStream extends SseChunkStream {

    private boolean finished;
    private boolean sawFinishReason;

    OpenAiChunkStream(UpstreamHttp http, UpstreamBody body) {
        super(http, body);
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
            if (json.containsKey("error")) {
                throw UpstreamFailures.streamError(provider(), data);
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

    private static boolean hasFinishReason(JsonObject chunk) {
        return Json.array(chunk, "choices").stream().flatMap(JsonArray::stream)
                .anyMatch(c -> c instanceof JsonObject choice && Json.string(choice, "finish_reason").isPresent());
    }
}
