package dev.llmgateway.telemetry;

import dev.llmgateway.metrics.GatewayMetrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Failures the gateway did not expect (its bugs): each counted on {@code gateway_unexpected_failures_total} by kind,
 * logged with its stack and trace at most once a minute per kind, with how many like it went unlogged since, so
 * that a client that can provoke one cannot flood the log.
 */
public final class UnexpectedFailures {

    private static final Logger LOG = Logger.getLogger(UnexpectedFailures.class.getName());
    private static final long INTERVAL = TimeUnit.MINUTES.toNanos(1);
    /** Kinds are exception classes, bounded by the code; the bound guards the map should that ever change. */
    private static final int MAX_KINDS = 256;
    private static final Map<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private UnexpectedFailures() {
    }

    public static void report(Throwable failure) {
        String kind = failure.getClass().getName();
        GatewayMetrics.shared().unexpectedFailure(failure.getClass().getSimpleName());
        Window window = WINDOWS.get(kind);
        if (window == null) {
            window = WINDOWS.computeIfAbsent(WINDOWS.size() < MAX_KINDS ? kind : "", k -> new Window());
        }
        long unlogged = window.admit(System.nanoTime());
        if (unlogged >= 0) {
            CorrelatedLog.log(LOG, Level.SEVERE, "Unexpected failure while handling a request"
                    + (unlogged > 0 ? " (" + unlogged + " more of this kind since the last one logged)" : ""), failure);
        }
    }

    /** One kind's log window: the first failure in a minute is logged, the rest counted. */
    private static final class Window {
        private final AtomicLong opened = new AtomicLong(Long.MIN_VALUE);
        private final AtomicLong suppressed = new AtomicLong();

        /** The number of failures not logged since the last one that was, or -1 when this one is not to be logged either. */
        long admit(long now) {
            long last = opened.get();
            if (last != Long.MIN_VALUE && now - last < INTERVAL || !opened.compareAndSet(last, now)) {
                suppressed.incrementAndGet();
                return -1;
            }
            return suppressed.getAndSet(0);
        }
    }
}
