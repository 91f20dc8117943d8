package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.sse.SseEvent;
import dev.llmgateway.provider.sse.SseReader;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.time.Duration;

/** An upstream's event stream, read under the provider's timeouts; subclasses turn its events into chunks. */
public abstract class SseChunkStream implements ChunkStream {

    private static final Duration END_GRACE = Duration.ofMillis(200);

    private final UpstreamHttp http;
    private final UpstreamBody body;
    private final SseReader reader;
    private boolean complete;

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

    /**
     * The answer is whole. Closing the stream then reads what is left of the body for a moment, so that the connection
     * goes back to the pool; an upstream that holds its body open after the last event is cut off, not waited for.
     */
    protected void complete() {
        complete = true;
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
        if (complete) {
            complete = false;
            readRest();
        }
        body.close();
    }

    /** At most {@link #END_GRACE} in all, however the upstream trickles (comments, blank lines): then the exchange is aborted. */
    private void readRest() {
        SseReader.ReadGuard.Disarm deadline = body.timer().abortAfter(END_GRACE);
        try {
            while (reader.next() != null) {
                // nothing is expected after the last event; whatever comes is discarded
            }
        } catch (IOException heldOpen) {
            // the deadline aborted the exchange: the body is closed below, the answer was whole
        } finally {
            deadline.disarm();
        }
    }
}
