package dev.llmgateway.provider;

import dev.llmgateway.provider.sse.SseReader;

import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Bounds the wait for one upstream answer's headers and each blocking read of its body: when a wait outlasts
 * its limit, the exchange is aborted, which closes the connection and wakes the reader. The headers and the
 * first read may each wait for the first byte; later reads for the idle limit.
 */
public final class ReadTimer implements SseReader.ReadGuard {

    private final ScheduledExecutorService scheduler;
    private final Runnable abort;
    private final long firstReadNanos;
    private final long readNanos;
    private volatile int reads;
    private volatile boolean expired;
    private volatile boolean expiredOnFirstRead;

    public ReadTimer(ScheduledExecutorService scheduler, Runnable abort, Duration firstRead, Duration read) {
        this.scheduler = scheduler;
        this.abort = abort;
        this.firstReadNanos = firstRead.toNanos();
        this.readNanos = read.toNanos();
    }

    /** Arms the timer for the wait for the response headers. */
    public Disarm armHead() {
        return schedule(firstReadNanos);
    }

    @Override
    public Disarm arm() {
        return schedule(reads++ == 0 ? firstReadNanos : readNanos);
    }

    private Disarm schedule(long limit) {
        ScheduledFuture<?> task = scheduler.schedule(this::expire, limit, TimeUnit.NANOSECONDS);
        return () -> task.cancel(false);
    }

    /** Aborts the exchange after {@code limit} whatever is read meanwhile: for reading what is left after the answer is whole. */
    public Disarm abortAfter(Duration limit) {
        return schedule(limit.toNanos());
    }

    /** Whether the last failed read failed because this timer closed the body. */
    public boolean expired() {
        return expired;
    }

    /** Whether the expiry came while waiting for the headers or the first byte rather than between two reads. */
    public boolean expiredOnFirstRead() {
        return expiredOnFirstRead;
    }

    private void expire() {
        expiredOnFirstRead = reads <= 1;
        expired = true;
        abort.run();
    }
}
