package dev.llmgateway.calls;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The container thread that dispatched a request, as it was when it did: another thread completing that request
 * asynchronously waits, through {@link #awaitDone()}, until this thread is done with the request's dispatch. Payara's
 * Grizzly finishes and recycles a response completed from another thread at once, even while the request thread is
 * still returning through the container's own code for it; that thread then ends someone else's exchange (a request
 * answered with an empty 200, or not at all). The thread is done once it waits for work in its pool, or once it has
 * entered the gateway's first filter for a later request.
 */
public final class DispatchThread {

    /** How long a completion waits at most for a thread that neither waits for work nor enters the gateway again. */
    private static final long MAX_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private static final ThreadLocal<AtomicLong> DISPATCHES = ThreadLocal.withInitial(AtomicLong::new);

    private final Thread thread;
    private final AtomicLong dispatches;
    private final long dispatch;

    private DispatchThread(Thread thread, AtomicLong dispatches, long dispatch) {
        this.thread = thread;
        this.dispatches = dispatches;
        this.dispatch = dispatch;
    }

    /** The current thread enters the gateway's first filter for a request. */
    public static void entered() {
        DISPATCHES.get().incrementAndGet();
    }

    /** The current thread, in the dispatch it is in now. */
    static DispatchThread current() {
        AtomicLong dispatches = DISPATCHES.get();
        return new DispatchThread(Thread.currentThread(), dispatches, dispatches.get());
    }

    /** Whether this is the thread running now. */
    boolean isCurrent() {
        return thread == Thread.currentThread();
    }

    /** Waits, at most {@link #MAX_WAIT_NANOS}, until the thread is done with the dispatch it was in; at once on that thread. */
    void awaitDone() {
        if (isCurrent()) {
            return;
        }
        long deadline = System.nanoTime() + MAX_WAIT_NANOS;
        while (stillIn() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(20_000);
        }
    }

    private boolean stillIn() {
        Thread.State state = thread.getState();
        // a thread waiting for work parks in its pool; one running or blocked may still be in the container's code for the request
        return (state == Thread.State.RUNNABLE || state == Thread.State.BLOCKED) && dispatches.get() == dispatch;
    }
}
