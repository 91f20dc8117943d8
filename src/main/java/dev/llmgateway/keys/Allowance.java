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

    enum Result { TAKEN, EXHAUSTED, UNAVAILABLE }

    /** What a take did, and the window it charged (a settlement later gives back to that window only). */
    record Taken(Result result, long window) {
    }

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
        if (!(amount >= 0)) {
            amount = 0; // no estimate spends less than nothing
        }
        lock.lock();
        try {
            roll(now);
            if (local >= amount) {
                local -= amount;
                return new Taken(Result.TAKEN, windowStart);
            }
            if (counters == null) {
                return new Taken(Result.UNAVAILABLE, windowStart);
            }
            double slice = limit * slicePercent / 100;
            if (kind.unit() != LimitKind.Unit.SPEND) {
                slice = Math.max(1, Math.floor(slice));
            }
            LimitCounters.Lease lease;
            try {
                lease = counters.lease(scope, kind, windowStart, Math.max(amount - local, slice), limit);
            } catch (SQLException | RuntimeException e) {
                return new Taken(Result.UNAVAILABLE, windowStart);
            }
            local += lease.granted();
            held = lease.held();
            if (local >= amount) {
                local -= amount;
                return new Taken(Result.TAKEN, windowStart);
            }
            if (lease.granted() > 0) {
                // what was left of the window could not hold this call: it stays for the other instances' calls
                try {
                    counters.giveBack(scope, kind, windowStart, lease.granted());
                    local -= lease.granted();
                    held -= lease.granted();
                } catch (SQLException | RuntimeException e) {
                    // kept here then, for this instance's next calls
                }
            }
            return new Taken(Result.EXHAUSTED, windowStart);
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

    /** Moves to the window holding {@code now}; never back (a thread may carry a clock read before a slow lease). */
    private void roll(Instant now) {
        long start = kind.window().start(now);
        if (start > windowStart) {
            windowStart = start;
            local = 0; // a slice left of an ended window is spent: the window it was leased for is over
            held = 0;
        }
    }
}
