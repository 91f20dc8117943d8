package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.sse.SseEvent;
import dev.llmgateway.provider.sse.SseReader;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

import java.io.IOException;

/** An upstream's event stream, read under the provider's timeouts; subclasses turn its events into chunks. */
public abstract class SseChunkStream implements ChunkStream {

    private final UpstreamHttp http;
    private final UpstreamBody body;
    private final SseReader reader;

    protected SseChunkStream(UpstreamHttp http, UpstreamBody body) {
        this.http = http;
        this.body = body;
        this.reader = new SseReader(body.content(), body.timer());
    }

    /** The next event, or null at the end; a broken or silent upstream closes the body and fails the provider. */
    protected SseEvent nextEvent() throws ProviderException {
        try {
            return reader.next();
        } catch (IOException e) {
            close();
            throw UpstreamFailures.read(provider(), e, body.timer(), http.settings().timeouts().firstByte(), http.settings().timeouts().read());
        }
    }

    /** Reads to the end after the last event, so the connection goes back to the pool instead of being torn down. */
    protected void drain() throws ProviderException {
        while (nextEvent() != null) {
            // nothing is expected after the last event; whatever comes is discarded
        }
        close();
    }

    protected JsonObject parse(String data) throws ProviderException {
        try {
            return Json.parseObject(data);
        } catch (JsonException e) {
            throw UpstreamFailures.malformed(provider(), "a stream event that is not a JSON object", e);
        }
    }

    protected String provider() {
        return http.settings().name();
    }

    @Override
    public void close() {
        body.close();
    }
}
