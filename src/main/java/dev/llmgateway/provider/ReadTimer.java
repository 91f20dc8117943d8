package dev.llmgateway.provider;

import dev.llmgateway.provider.sse.SseReader;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds each blocking read of one upstream body: when a read outlasts its limit, the body is closed,
 * which aborts the exchange and wakes the reader. The first read may wait for the first byte; later reads
 * for the idle limit.
 */
public final class ReadTimer implements SseReader.ReadGuard {

    private final ScheduledExecutorService scheduler;
    private final Closeable body;
    private final long firstReadNanos;
    private final long readNanos;
    private volatile int reads;
    private volatile boolean expired;
    private volatile boolean expiredOnFirstRead;

    public ReadTimer(ScheduledExecutorService scheduler, Closeable body, Duration firstRead, Duration read) {
        this.scheduler = scheduler;
        this.body = body;
        this.firstReadNanos = firstRead.toNanos();
        this.readNanos = read.toNanos();
    }

    @Override
    public Disarm arm() {
        long limit = reads++ == 0 ? firstReadNanos : readNanos;
        ScheduledFuture<?> task = scheduler.schedule(this::expire, limit, TimeUnit.NANOSECONDS);
        return () -> task.cancel(false);
    }

    /** Whether the last failed read failed because this timer closed the body. */
    public boolean expired() {
        return expired;
    }

    /** Whether the expiry came while waiting for the first byte rather than between two reads. */
    public boolean expiredOnFirstRead() {
        return expiredOnFirstRead;
    }

    private void expire() {
        expiredOnFirstRead = reads == 1;
        expired = true;
        try {
            body.close();
        } catch (IOException ignored) {
            // closing is how the read is aborted; a failure to close leaves nothing else to do
        }
    }
}
