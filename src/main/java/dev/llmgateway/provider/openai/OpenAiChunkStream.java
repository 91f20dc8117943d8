package dev.llmgateway.provider.openai;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ReadTimer;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.UpstreamHttp;
import dev.llmgateway.provider.sse.SseEvent;
import dev.llmgateway.provider.sse.SseReader;
import jakarta.json.JsonArray;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;

/** OpenAI's event stream: one JSON chunk per {@code data:} event, closed by {@code data: [DONE]}. */
final class OpenAiChunkStream implements ChunkStream {

    private final UpstreamHttp http;
    private final InputStream body;
    private final ReadTimer timer;
    private final SseReader reader;
    private boolean finished;
    private boolean sawFinishReason;

    OpenAiChunkStream(UpstreamHttp http, InputStream body) {
        this.http = http;
        this.body = body;
        this.timer = http.timer(body);
        this.reader = new SseReader(body, timer);
    }

    @Override
    public Chunk next() throws ProviderException {
        if (finished) {
            return null;
        }
        String provider = http.settings().name();
        try {
            SseEvent event;
            while ((event = reader.next()) != null) {
                String data = event.data();
                if (data.equals("[DONE]")) {
                    finish();
                    return null;
                }
                if (data.isBlank()) {
                    continue;
                }
                JsonObject json = parse(provider, data);
                if (json.containsKey("error")) {
                    throw UpstreamFailures.streamError(provider, data);
                }
                sawFinishReason |= hasFinishReason(json);
                return new Chunk(data, json);
            }
        } catch (IOException e) {
            close();
            throw UpstreamFailures.read(provider, e, timer, http.settings().timeouts().firstByte(), http.settings().timeouts().read());
        }
        finished = true;
        close();
        if (!sawFinishReason) {
            throw UpstreamFailures.malformed(provider, "a stream that ended before its last chunk", null);
        }
        return null;
    }

    private static boolean hasFinishReason(JsonObject chunk) {
        return Json.array(chunk, "choices").stream().flatMap(JsonArray::stream)
                .anyMatch(c -> c instanceof JsonObject choice && Json.string(choice, "finish_reason").isPresent());
    }

    private static JsonObject parse(String provider, String data) throws ProviderException {
        try {
            return Json.parseObject(data);
        } catch (JsonException e) {
            throw UpstreamFailures.malformed(provider, "a stream chunk that is not a JSON object", e);
        }
    }

    /** Reads to the end after [DONE], so the connection goes back to the pool instead of being torn down. */
    private void finish() throws IOException {
        finished = true;
        while (reader.next() != null) {
            // nothing is expected after [DONE]; whatever comes is discarded
        }
        close();
    }

    @Override
    public void close() {
        try {
            body.close();
        } catch (IOException ignored) {
            // the exchange is being abandoned; nothing to recover
        }
    }
}
