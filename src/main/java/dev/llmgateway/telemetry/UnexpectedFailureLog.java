package dev.llmgateway.telemetry;

import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.UnexpectedFailure;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Failures the gateway did not expect (its bugs), a listener's included: each logged with its stack and trace at most
 * once a minute per kind, with how many like it went unlogged since, so that a client that can provoke one cannot
 * flood the log. (The Prometheus listener counts every one.)
 */
@ApplicationScoped
public class UnexpectedFailureLog implements GatewayListener {

    private static final Logger LOG = Logger.getLogger("dev.llmgateway.telemetry.UnexpectedFailures");
    private static final long INTERVAL = TimeUnit.MINUTES.toNanos(1);
    /** Kinds are exception classes, bounded by the code; the bound guards the map should that ever change. */
    private static final int MAX_KINDS = 256;
    private final Map<String, Window> windows = new ConcurrentHashMap<>();

    @Override
    public void unexpectedFailure(UnexpectedFailure event) {
        Throwable failure = event.failure();
        String kind = failure.getClass().getName();
        Window window = windows.get(kind);
        if (window == null) {
            window = windows.computeIfAbsent(windows.size() < MAX_KINDS ? kind : "", k -> new Window());
        }
        long unlogged = window.admit(System.nanoTime());
        if (unlogged >= 0) {
            CorrelatedLog.log(LOG, Level.SEVERE, "Unexpected failure while handling a request"
                    + (unlogged > 0 ? " (" + unlogged + " more of this kind since the last one logged)" : ""), event.trace(), Map.of(), failure);
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
