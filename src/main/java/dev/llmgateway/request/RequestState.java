package dev.llmgateway.request;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.ImplicitContextKeyed;
import jakarta.servlet.ServletRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * What the gateway knows of one request beyond its HTTP exchange: who called, how long it waited on providers, its
 * export route, and the work that waits until its answer is out. Made by the first filter, kept under one request
 * attribute for the filters and one OpenTelemetry context key for the code below them, and handed to the thread that
 * carries the call as part of that context.
 */
public final class RequestState implements ImplicitContextKeyed {

    private static final String ATTRIBUTE = RequestState.class.getName();
    private static final ContextKey<RequestState> KEY = ContextKey.named("llm-gateway-request");

    private final long startNanos = System.nanoTime();
    private volatile String keyName = "";
    private volatile Object exportRoute;
    private volatile long upstreamNanos;
    private List<Runnable> afterAnswer;
    private List<Runnable> afterCompletion;
    private boolean deferred;
    private boolean answered;
    private boolean completed;

    private RequestState() {
    }

    /** A new state for {@code request}, kept as its attribute. */
    public static RequestState open(ServletRequest request) {
        RequestState state = new RequestState();
        request.setAttribute(ATTRIBUTE, state);
        return state;
    }

    /** A state that belongs to no servlet request: work outside one, and tests. */
    public static RequestState detached() {
        return new RequestState();
    }

    /** The state the first filter made for {@code request}, or null outside the paths it covers. */
    public static RequestState of(ServletRequest request) {
        return request.getAttribute(ATTRIBUTE) instanceof RequestState state ? state : null;
    }

    /** The state of the request the current context serves, or null (a test, a startup task). */
    public static RequestState current() {
        return Context.current().get(KEY);
    }

    /** The key name of the request the current context serves; empty without one. */
    public static String callerKeyName() {
        RequestState state = current();
        return state == null ? "" : state.keyName;
    }

    /** The state {@code context} carries, or null. */
    public static RequestState in(Context context) {
        return context.get(KEY);
    }

    @Override
    public Context storeInContext(Context context) {
        return context.with(KEY, this);
    }

    public long startNanos() {
        return startNanos;
    }

    /** The name of the gateway key the request presented; empty without keys or on a path that needs none. */
    public String keyName() {
        return keyName;
    }

    public void authenticatedAs(String name) {
        this.keyName = name;
    }

    /** The telemetry's export route for the request's spans, or null; opaque here. */
    public Object exportRoute() {
        return exportRoute;
    }

    public void exportRoute(Object route) {
        this.exportRoute = route;
    }

    /** Time the request waited on providers, so that the rest can be counted as the gateway's own. */
    public long upstreamNanos() {
        return upstreamNanos;
    }

    /** Adds time spent waiting on a provider; only the thread carrying the call adds. */
    public void waitedUpstream(long nanos) {
        upstreamNanos += nanos;
    }

    /** Client tags the request carries, bounded; none yet. */
    public Map<String, String> tags() {
        return Map.of();
    }

    /** Another thread answers the request: the work registered from now on waits for it. */
    public synchronized void defer() {
        deferred = true;
    }

    public synchronized boolean deferred() {
        return deferred;
    }

    /**
     * Runs {@code action} once the answer is written, while the exchange can still be read (a span's status, a count):
     * later, unless the request has been answered already.
     */
    public void afterAnswer(Runnable action) {
        synchronized (this) {
            if (!answered) {
                afterAnswer = added(afterAnswer, action);
                return;
            }
        }
        action.run();
    }

    /**
     * Runs {@code action} once the exchange is complete, so that nothing it does delays the client: later, unless it is
     * complete already. Listeners hear of the request here.
     */
    public void afterCompletion(Runnable action) {
        synchronized (this) {
            if (!completed) {
                afterCompletion = added(afterCompletion, action);
                return;
            }
        }
        action.run();
    }

    /** The answer is written: runs the work waiting for it, in order, each failure handed to {@code failures}. */
    public void answered(Consumer<Throwable> failures) {
        List<Runnable> due;
        synchronized (this) {
            if (answered) {
                return;
            }
            answered = true;
            due = afterAnswer;
            afterAnswer = null;
        }
        runAll(due, failures);
    }

    /** The exchange is complete (or left to the container to complete): runs the work waiting for that, in order. */
    public void completed(Consumer<Throwable> failures) {
        answered(failures);
        List<Runnable> due;
        synchronized (this) {
            if (completed) {
                return;
            }
            completed = true;
            due = afterCompletion;
            afterCompletion = null;
        }
        runAll(due, failures);
    }

    private static List<Runnable> added(List<Runnable> actions, Runnable action) {
        List<Runnable> list = actions == null ? new ArrayList<>(6) : actions;
        list.add(action);
        return list;
    }

    private static void runAll(List<Runnable> actions, Consumer<Throwable> failures) {
        if (actions == null) {
            return;
        }
        for (Runnable action : actions) {
            try {
                action.run();
            } catch (RuntimeException | Error e) {
                failures.accept(e);
            }
        }
    }
}
