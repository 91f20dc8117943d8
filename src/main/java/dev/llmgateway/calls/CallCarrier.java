package dev.llmgateway.calls;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.request.RequestState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;

import java.util.List;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Takes a call off its request thread: the request goes asynchronous and the call runs on a virtual thread of its
 * own, in the request's OpenTelemetry context (its trace and its {@link RequestState}), so that thousands of calls can wait on their upstreams while
 * the runtime's request threads stay free. Where virtual threads are off or missing the call runs where it is.
 */
@ApplicationScoped
public class CallCarrier {

    private static final Logger LOG = Logger.getLogger(CallCarrier.class.getName());

    @Inject
    GatewaySettings settings;

    @Inject
    GatewayEvents events;

    private ThreadFactory threads;
    private volatile boolean warnedNotAsync;

    CallCarrier() {
        // for CDI: the threads are chosen from the settings once injected
    }

    /** A carrier outside CDI: on threads from {@code threads}, or on the request thread when null. */
    public CallCarrier(ThreadFactory threads) {
        this.threads = threads;
        this.events = new GatewayEvents(List.of());
    }

    @PostConstruct
    void choose() {
        if (!settings.calls().virtualThreads()) {
            LOG.info("gateway.calls.virtual-threads=false: each call holds its request thread while it waits on its upstream");
            return;
        }
        threads = CallThreads.virtual().orElse(null);
        if (threads == null) {
            LOG.warning("Java " + Runtime.version().feature() + " has no virtual threads: each call holds its request thread while it"
                    + " waits on its upstream, so the runtime's request threads bound the calls in flight; run on Java 21 or later");
        } else if (Runtime.version().feature() < 24) {
            LOG.warning("Calls run on virtual threads, at most " + settings.calls().maxInFlight() + " in flight; on Java " + Runtime.version().feature()
                    + " a virtual thread blocked inside synchronized code holds its carrier thread: run on Java 24 or later");
        } else {
            LOG.info("Calls run on virtual threads (Java " + Runtime.version().feature() + "), at most " + settings.calls().maxInFlight() + " in flight");
        }
    }

    /**
     * Runs {@code call} on a thread of its own, the request asynchronous until it returns, or here and now. Either way
     * the call runs exactly once, in the OpenTelemetry context current now with the request's state in it; on its own
     * thread, the request's end work runs once the call returns, and its listeners once the exchange is complete.
     */
    public void carry(HttpServletRequest request, Runnable call) {
        carry(request, () -> { }, call);
    }

    /**
     * As {@link #carry(HttpServletRequest, Runnable)}, with {@code onThread} run exactly once as soon as the call's
     * thread runs, or when the call cannot be carried at all.
     */
    public void carry(HttpServletRequest request, Runnable onThread, Runnable call) {
        AsyncContext async = null;
        RequestState state = RequestState.of(request);
        Context context;
        try {
            Context current = Context.current();
            context = state == null || RequestState.in(current) == state ? current : current.with(state);
            async = threads == null ? null : asyncOrNull(request);
            if (async != null) {
                async.setTimeout(0); // the providers' own timeouts bound a call, streams included
                if (state != null) {
                    state.defer();
                }
            }
        } catch (RuntimeException | Error cannotCarry) {
            onThread.run();
            throw cannotCarry;
        }
        if (async == null) {
            onThread.run();
            try (Scope ignored = context.makeCurrent()) {
                call.run();
            }
            return;
        }
        // the call's thread reads, answers and completes the request only once this request thread has left the first filter
        // and is done with the dispatch: Payara's Grizzly, its exchange touched or resumed from another thread while the
        // dispatch still ran or unwound (or resumed from inside it), lost answers
        CountDownLatch left = new CountDownLatch(1);
        DispatchThread requestThread = DispatchThread.current();
        Runnable task = carried(async, state, context, onThread, call, left, requestThread);
        try {
            threads.newThread(task).start();
        } catch (RuntimeException | Error cannotStart) {
            task.run();
        } finally {
            if (state == null) {
                left.countDown();
            } else {
                state.whenDispatchLeft(left::countDown);
            }
        }
    }

    /**
     * The call as its own thread runs it, once the request thread is done with the dispatch (a moment after it handed the
     * call over): then the request's end work, then its completion, whatever happened; then the listeners.
     */
    private Runnable carried(AsyncContext async, RequestState state, Context context, Runnable onThread, Runnable call, CountDownLatch left,
                             DispatchThread requestThread) {
        return () -> {
            // the request's context throughout: its trace is on the log line of a failure, and on what the listeners record
            try (Scope ignored = context.makeCurrent()) {
                try {
                    onThread.run();
                    if (!requestThread.isCurrent()) {
                        // nothing of the exchange is touched while the container still runs its code for the dispatch
                        awaitQuietly(left);
                        requestThread.awaitDone();
                    }
                    call.run();
                } catch (RuntimeException | Error unexpected) {
                    events.unexpected(unexpected);
                } finally {
                    end(async, state);
                }
            }
        };
    }

    /** The request's end work, then its completion, then the listeners. */
    private static void end(AsyncContext async, RequestState state) {
        try {
            if (state != null) {
                state.answered();
            }
        } finally {
            try {
                complete(async);
            } finally {
                if (state != null) {
                    state.completed(); // the listeners: the exchange is out of their way
                }
            }
        }
    }

    /** How long a call's thread waits at most for its request thread to leave the first filter. */
    private static final long LEAVE_SECONDS = 10;

    private static void awaitQuietly(CountDownLatch left) {
        try {
            if (!left.await(LEAVE_SECONDS, TimeUnit.SECONDS)) {
                LOG.warning("A request thread did not leave the gateway's first filter within " + LEAVE_SECONDS + " s of handing its call over;"
                        + " the call's thread completes the request now");
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** The request made asynchronous, or null when a filter on its path does not support that. */
    private AsyncContext asyncOrNull(HttpServletRequest request) {
        try {
            return request.startAsync();
        } catch (IllegalStateException notAsync) {
            notAsync(notAsync);
            return null;
        }
    }

    /** A filter of the container's or of another application's on the path does not support asynchronous requests. */
    private void notAsync(IllegalStateException cause) {
        if (!warnedNotAsync) {
            warnedNotAsync = true;
            LOG.warning("A filter in front of the gateway does not support asynchronous requests, so calls hold their request thread: " + cause.getMessage());
        }
    }

    private static void complete(AsyncContext async) {
        try {
            async.complete();
        } catch (IllegalStateException alreadyEnded) {
            // the container ended the exchange itself (the client went away): nothing is left to complete
        }
    }
}
