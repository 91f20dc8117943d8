package dev.llmgateway.keys;

import java.sql.SQLException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;

/**
 * One limit of one key or team as this instance spends it: the slice it leased of the current window and has not spent
 * yet. Calls spend the slice with one compare-and-set, without a lock (a hot key's calls must not queue behind each
 * other); only an empty slice takes the lock and a database round trip. A call that used more than it was estimated at
 * leaves the slice short (a debt the next lease pays), one that used less gives the difference back.
 */
final class Allowance {

    enum Result { TAKEN, EXHAUSTED, UNAVAILABLE }

    /** What a take did, and the window it charged (a settlement later gives back to that window only). */
    record Taken(Result result, long window) {
    }

    /**
     * The current window and this instance's share of it, replaced whole on every change.
     *
     * @param local what this instance leased and has not spent (negative: a debt)
     * @param held  what all instances had leased of the window as of this instance's last lease
     */
    private record Window(long start, long end, double local, double held) {
    }

    final String scope;
    final LimitKind kind;
    private final ReentrantLock leasing = new ReentrantLock(); // not synchronized: a virtual thread waiting on a lease must not pin its carrier
    private final AtomicReference<Window> window = new AtomicReference<>(new Window(-1, -1, 0, 0));
    private volatile double limit;

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
        double wanted = amount >= 0 ? amount : 0; // no estimate spends less than nothing
        Taken fast = spend(wanted, now);
        if (fast != null) {
            return fast;
        }
        if (counters == null) {
            return new Taken(Result.UNAVAILABLE, current(now).start);
        }
        leasing.lock(); // one lease at a time per limit; the calls that find the slice short meanwhile wait for it
        try {
            Taken again = spend(wanted, now);
            if (again != null) {
                return again;
            }
            Window before = current(now);
            double slice = limit * slicePercent / 100;
            if (kind.unit() != LimitKind.Unit.SPEND) {
                slice = Math.max(1, Math.floor(slice));
            }
            LimitCounters.Lease lease;
            try {
                lease = counters.lease(scope, kind, before.start, Math.max(wanted - before.local, slice), limit);
            } catch (SQLException | RuntimeException e) {
                return new Taken(Result.UNAVAILABLE, before.start);
            }
            change(before.start, lease.granted(), lease.held());
            Taken taken = spend(wanted, now);
            if (taken != null) {
                return taken;
            }
            if (lease.granted() > 0) {
                // what was left of the window could not hold this call: it stays for the other instances' calls
                try {
                    counters.giveBack(scope, kind, before.start, lease.granted());
                    change(before.start, -lease.granted(), lease.held() - lease.granted());
                } catch (SQLException | RuntimeException e) {
                    // kept here then, for this instance's next calls
                }
            }
            return new Taken(Result.EXHAUSTED, before.start);
        } finally {
            leasing.unlock();
        }
    }

    /** Takes {@code amount} from the slice in hand with one compare-and-set; null when the slice is short. */
    private Taken spend(double amount, Instant now) {
        while (true) {
            Window current = current(now);
            if (current.local < amount) {
                return null;
            }
            if (window.compareAndSet(current, new Window(current.start, current.end, current.local - amount, current.held))) {
                return new Taken(Result.TAKEN, current.start);
            }
        }
    }

    /** Adds {@code amount} to the slice of the window starting at {@code start} (and sets what all hold, when known). */
    private void change(long start, double amount, double held) {
        while (true) {
            Window current = window.get();
            if (current.start != start
                    || window.compareAndSet(current, new Window(current.start, current.end, current.local + amount, Double.isNaN(held) ? current.held : held))) {
                return;
            }
        }
    }

    /** Gives {@code amount} back to the slice, or takes it (negative), when the window it was taken in is still the current one. */
    void adjust(long windowStart, double amount) {
        change(windowStart, amount, Double.NaN);
    }

    /** What is left of the window as this instance sees it: the limit less what all leased, plus its own unspent slice. */
    double remaining(Instant now) {
        Window current = current(now);
        return Math.max(0, Math.min(limit, limit - current.held + current.local));
    }

    /** Seconds from {@code now} to the end of the current window; {@link Long#MAX_VALUE} for all time. */
    long secondsToReset(Instant now) {
        long end = current(now).end;
        return end == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(0, end - now.getEpochSecond());
    }

    /** The unspent slice of the current window, taken out to give back to the database (when stopping). */
    double release(Instant now) {
        while (true) {
            Window current = current(now);
            double unspent = Math.max(0, current.local);
            if (window.compareAndSet(current, new Window(current.start, current.end, current.local - unspent, current.held - unspent))) {
                return unspent;
            }
        }
    }

    /**
     * The window holding {@code now}, moved to when it has begun: a slice left of an ended window is spent with it. Never
     * moves back (a thread may carry a clock read before a slow lease).
     */
    private Window current(Instant now) {
        while (true) {
            Window current = window.get();
            long seconds = now.getEpochSecond();
            if (seconds < current.end || (current.end != -1 && seconds < current.start)) {
                return current;
            }
            long start = kind.window().start(now);
            if (start <= current.start) {
                return current;
            }
            Window next = new Window(start, kind.window().end(start), 0, 0);
            if (window.compareAndSet(current, next)) {
                return next;
            }
        }
    }
}
