package dev.llmgateway.provider;

import dev.llmgateway.provider.sse.SseReader;
import org.apache.hc.core5.concurrent.Cancellable;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;

/**
 * One upstream answer whose body is read on the call's thread. Read to its end, the body gives its connection
 * back to the pool by itself; closed before the end, it aborts the exchange rather than reading on.
 */
public final class UpstreamBody implements Closeable {

    private final int status;
    private final String retryAfter;
    private final InputStream content;
    private final long length;
    private final Cancellable exchange;
    private final ReadTimer timer;

    UpstreamBody(int status, String retryAfter, InputStream content, long length, Cancellable exchange, ReadTimer timer) {
        this.status = status;
        this.retryAfter = retryAfter;
        this.content = content;
        this.length = length;
        this.exchange = exchange;
        this.timer = timer;
    }

    public int status() {
        return status;
    }

    /** The upstream's {@code Retry-After} header, or null. */
    public String retryAfter() {
        return retryAfter;
    }

    /** The body's bytes, to be read through {@link #timer()}. */
    public InputStream content() {
        return content;
    }

    /** The body's declared length in bytes, or -1 when the upstream did not declare it (a chunked body). */
    long length() {
        return length;
    }

    public ReadTimer timer() {
        return timer;
    }

    /** One read of the body, bounded by the timer. */
    int read(byte[] buffer, int offset, int length) throws IOException {
        SseReader.ReadGuard.Disarm disarm = timer.arm();
        try {
            return content.read(buffer, offset, length);
        } finally {
            disarm.disarm();
        }
    }

    @Override
    public void close() {
        // after the end of the body the connection is already back in the pool and this does nothing
        exchange.cancel();
        try {
            content.close();
        } catch (IOException ignored) {
            // the exchange is aborted; nothing is left to recover
        }
    }
}
