package dev.llmgateway.provider;

import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.json.Json;
import dev.llmgateway.json.JsonShape;
import dev.llmgateway.provider.sse.SseEvent;
import dev.llmgateway.provider.sse.SseReader;
import jakarta.json.JsonString;
import java.util.regex.Pattern;
import jakarta.json.JsonObject;

import java.io.IOException;
import java.time.Duration;

/** An upstream's event stream, read under the provider's timeouts; subclasses turn its events into chunks. */
public abstract class SseChunkStream implements ChunkStream {

    private static final Duration END_GRACE = Duration.ofMillis(200);
    /** An ordinary chunk's tree is a few kilobytes: only larger events are charged for theirs. */
    private static final int FREE_EVENT_CHARS = 4 * 1024;
    /** What an event's type may hold: it becomes an {@code event:} line, where a line break would start a forged event. */
    private static final Pattern EVENT_TYPE = Pattern.compile("[A-Za-z0-9_.:\\-]{1,128}");

    private final UpstreamHttp http;
    private final UpstreamBody body;
    private final AnswerMemory memory;
    /** The tree of the largest event parsed so far, charged: a larger one is charged the difference. */
    private long treeCharged;
    private final SseReader reader;
    private boolean complete;

    /** @param memory charged for the largest event the stream holds at once, so that many large events cannot exhaust the heap */
    protected SseChunkStream(UpstreamHttp http, UpstreamBody body, AnswerMemory memory) {
        this.http = http;
        this.body = body;
        this.memory = memory;
        this.reader = new SseReader(body.content(), body.timer(), bytes -> {
            AnswerMemory.Refusal refusal = memory.take(bytes);
            if (refusal != AnswerMemory.Refusal.NONE) {
                throw new AnswerMemoryException(refusal);
            }
        });
    }

    /** The next event, or null at the end; a broken or silent upstream closes the body and fails the provider. */
    protected SseEvent nextEvent() throws ProviderException {
        try {
            SseEvent event = reader.next();
            // an upstream's own secrets are masked before anything reads the event: error events, content, spans
            return event == null ? null : new SseEvent(event.event(), http.secrets().scrub(event.data()));
        } catch (AnswerMemoryException e) {
            close();
            throw UpstreamFailures.memory(provider(), e.refusal());
        } catch (IOException e) {
            close();
            throw UpstreamFailures.read(provider(), http.clean(e), body.timer(), http.settings().timeouts().firstByte(), http.settings().timeouts().read());
        }
    }

    /**
     * The answer is whole. Closing the stream then reads what is left of the body for a moment, so that the connection
     * goes back to the pool; an upstream that holds its body open after the last event is cut off, not waited for.
     */
    protected void complete() {
        complete = true;
    }

    /**
     * The event's JSON object. An event the gateway cannot read (not JSON, nested past the parser's limit) or whose
     * {@code type} could not be written back into the event-stream framing is the upstream's failure, never relayed.
     */
    protected JsonObject parse(String data) throws ProviderException {
        if (data.length() > FREE_EVENT_CHARS) {
            long tree = JsonShape.values(data) * RequestLimits.BYTES_PER_VALUE + 2L * data.length();
            if (tree > treeCharged) {
                AnswerMemory.Refusal refusal = memory.take(tree - treeCharged);
                if (refusal != AnswerMemory.Refusal.NONE) {
                    close();
                    throw UpstreamFailures.memory(provider(), refusal);
                }
                treeCharged = tree;
            }
        }
        JsonObject event;
        try {
            event = Json.parseObject(data);
        } catch (RuntimeException e) {
            throw UpstreamFailures.malformed(provider(), "a stream event that is not a JSON object the gateway can read", e);
        }
        if (event.get("type") instanceof JsonString type && !EVENT_TYPE.matcher(type.getString()).matches()) {
            throw UpstreamFailures.malformed(provider(), "a stream event whose type is not an event name", null);
        }
        return event;
    }

    /** An error event inside a stream that had started well, its explanation with the provider's secrets masked. */
    protected ProviderException failedMidStream(String eventData) {
        return UpstreamFailures.streamError(provider(), eventData, http.secrets());
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
