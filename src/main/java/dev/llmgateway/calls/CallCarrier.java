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
import java.util.concurrent.atomic.AtomicInteger;
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
        // whichever of the call and this request thread is done last completes the request. The request thread is done
        // when it leaves the first filter (the request state says so), with no more of the application's code to run:
        // a completion that Payara's Grizzly did not hold back while the dispatch was still unwinding dropped the answer
        AtomicInteger arrivals = new AtomicInteger(2);
        AsyncContext exchange = async;
        Runnable arrived = () -> {
            if (arrivals.decrementAndGet() == 0) {
                complete(exchange);
            }
        };
        DispatchThread requestThread = DispatchThread.current();
        Runnable task = carried(async, state, context, onThread, call, arrivals, requestThread);
        try {
            threads.newThread(task).start();
        } catch (RuntimeException | Error cannotStart) {
            task.run();
        } finally {
            if (state == null) {
                arrived.run();
            } else {
                state.whenDispatchLeft(arrived);
            }
        }
    }

    /**
     * The call as its own thread runs it: then the request's end work, then its completion, whatever happened, unless the
     * request thread has not yet left its dispatch (it completes the request itself then); then the listeners.
     */
    private Runnable carried(AsyncContext async, RequestState state, Context context, Runnable onThread, Runnable call, AtomicInteger arrivals,
                             DispatchThread requestThread) {
        return () -> {
            // the request's context throughout: its trace is on the log line of a failure, and on what the listeners record
            try (Scope ignored = context.makeCurrent()) {
                try {
                    onThread.run();
                    call.run();
                } catch (RuntimeException | Error unexpected) {
                    events.unexpected(unexpected);
                } finally {
                    end(async, state, arrivals, requestThread);
                }
            }
        };
    }

    /** The request's end work, then its completion unless the request thread still dispatches, then the listeners. */
    private static void end(AsyncContext async, RequestState state, AtomicInteger arrivals, DispatchThread requestThread) {
        try {
            if (state != null) {
                state.answered();
            }
        } finally {
            try {
                if (arrivals.decrementAndGet() == 0) {
                    requestThread.awaitDone(); // it left the first filter, maybe not yet the container's code
                    complete(async);
                }
            } finally {
                if (state != null) {
                    state.completed(); // the listeners: the exchange is out of their way
                }
            }
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
