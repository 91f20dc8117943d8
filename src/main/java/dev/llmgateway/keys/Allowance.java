package dev.llmgateway.keys;

import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One limit of one key or team as this instance spends it: the slice it leased of the current window and has not spent
 * yet. Requests spend the slice locally; only an empty slice costs a database round trip. A call that used more than it
 * was estimated at leaves the slice short (a debt the next lease pays), one that used less gives the difference back.
 */
final class Allowance {

    enum Taken { TAKEN, EXHAUSTED, UNAVAILABLE }

    final String scope;
    final LimitKind kind;
    private final ReentrantLock lock = new ReentrantLock(); // not synchronized: a virtual thread waiting on a lease must not pin its carrier
    private volatile double limit;
    private long windowStart = -1;
    private double local;
    private double held;

    Allowance(String scope, LimitKind kind, double limit) {
        this.scope = scope;
        this.kind = kind;
        this.limit = limit;
    }

    double limit() {
        return limit;
    }

    void limit(double newLimit) {
        this.limit = newLimit;
    }

    /**
     * Spends {@code amount} of the window holding {@code now}, leasing more from {@code counters} when the slice is short.
     * With {@code counters} null (the database is known to be down) only the slice in hand is spent.
     */
    Taken take(double amount, Instant now, LimitCounters counters, int slicePercent) {
        lock.lock();
        try {
            roll(now);
            if (local >= amount) {
                local -= amount;
                return Taken.TAKEN;
            }
            if (counters == null) {
                return Taken.UNAVAILABLE;
            }
            double slice = limit * slicePercent / 100;
            if (kind.unit() != LimitKind.Unit.SPEND) {
                slice = Math.max(1, Math.floor(slice));
            }
            LimitCounters.Lease lease;
            try {
                lease = counters.lease(scope, kind, windowStart, Math.max(amount - local, slice), limit);
            } catch (SQLException | RuntimeException e) {
                return Taken.UNAVAILABLE;
            }
            local += lease.granted();
            held = lease.held();
            if (local >= amount) {
                local -= amount;
                return Taken.TAKEN;
            }
            return Taken.EXHAUSTED;
        } finally {
            lock.unlock();
        }
    }

    /** Gives {@code amount} back to the slice, or takes it (negative), when the window it was taken in is still the current one. */
    void adjust(long window, double amount) {
        lock.lock();
        try {
            if (window == windowStart) {
                local += amount;
            }
        } finally {
            lock.unlock();
        }
    }

    /** The window this allowance spends now, for a hold to settle in later. */
    long window() {
        lock.lock();
        try {
            return windowStart;
        } finally {
            lock.unlock();
        }
    }

    /** What is left of the window as this instance sees it: the limit less what all leased, plus its own unspent slice. */
    double remaining(Instant now) {
        lock.lock();
        try {
            roll(now);
            return Math.max(0, Math.min(limit, limit - held + local));
        } finally {
            lock.unlock();
        }
    }

    /** Seconds from {@code now} to the end of the current window; {@link Long#MAX_VALUE} for all time. */
    long secondsToReset(Instant now) {
        long end = kind.window().end(kind.window().start(now));
        return end == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, end - now.getEpochSecond());
    }

    /** The unspent slice of the current window, taken out to give back to the database (when stopping). */
    double release(Instant now) {
        lock.lock();
        try {
            roll(now);
            double unspent = Math.max(0, local);
            local -= unspent;
            held -= unspent;
            return unspent;
        } finally {
            lock.unlock();
        }
    }

    private void roll(Instant now) {
        long start = kind.window().start(now);
        if (start != windowStart) {
            windowStart = start;
            local = 0; // a slice left of an ended window is spent: the window it was leased for is over
            held = 0;
        }
    }
}
