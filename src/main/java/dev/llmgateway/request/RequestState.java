package dev.llmgateway.request;

import io.opentelemetry.context.Context;
import io.opentelemetry.context.ContextKey;
import io.opentelemetry.context.ImplicitContextKeyed;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.HttpServletRequest;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import java.util.TreeSet;
import java.util.Set;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * What the gateway knows of one request beyond its HTTP exchange: who called, how long it waited on providers, its
 * export route, and the work that waits until its answer is out. Made by the first filter, kept under one request
 * attribute for the filters and one OpenTelemetry context key for the code below them, and handed to the thread that
 * carries the call as part of that context.
 */
public final class RequestState implements ImplicitContextKeyed {

    private static final String ATTRIBUTE = RequestState.class.getName();
    private static final java.util.regex.Pattern FIELD = java.util.regex.Pattern.compile("[A-Za-z0-9_.\\[\\] -]{1,64}");
    /** The header Claude Code names its session with. */
    private static final String SESSION_HEADER = "X-Claude-Code-Session-Id";
    private static final ContextKey<RequestState> KEY = ContextKey.named("llm-gateway-request");

    private final long startNanos = System.nanoTime();
    private volatile String keyName = "";
    private volatile String keyTeam;
    private volatile Object key;
    private volatile Object spending;
    private volatile String refusal;
    private volatile RateLimit upstreamRequests;
    private volatile RateLimit upstreamTokens;
    private volatile boolean admin;
    private volatile Object exportRoute;
    private volatile long upstreamNanos;
    private volatile Set<String> dropped = Set.of();
    private boolean anthropic;
    private Map<String, String> tags = Map.of();
    private String tagsRefused;
    private String session;
    private List<Runnable> afterAnswer;
    private List<Runnable> afterCompletion;
    private boolean deferred;
    private boolean dispatchLeft;
    private Runnable onDispatchLeft;
    private boolean answered;
    private boolean completed;

    private final Executor elsewhere;
    private final Consumer<Throwable> failures;

    private RequestState(Executor elsewhere, Consumer<Throwable> failures) {
        this.elsewhere = elsewhere;
        this.failures = failures;
    }

    /**
     * A new state for {@code request}, kept as its attribute.
     *
     * @param elsewhere where work waiting for the exchange's completion runs when the thread at hand must not be held
     * @param failures  told what the work waiting for the request's end throws; the rest still runs
     */
    public static RequestState open(ServletRequest request, Executor elsewhere, Consumer<Throwable> failures) {
        RequestState state = new RequestState(elsewhere, failures);
        if (request instanceof HttpServletRequest http) {
            state.anthropic = ApiPaths.speaksAnthropic(ApiPaths.routed(http));
            state.session = session(http.getHeader(SESSION_HEADER));
            try {
                state.tags = ClientTags.parse(http.getHeader(ClientTags.HEADER));
            } catch (IllegalArgumentException e) {
                state.tagsRefused = e.getMessage();
            }
        }
        request.setAttribute(ATTRIBUTE, state);
        return state;
    }

    /** A state that belongs to no servlet request (tests): its work runs where it is told to. */
    public static RequestState detached() {
        return new RequestState(Runnable::run, failure -> { });
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

    /** Authenticated with a virtual key: its name, its team (or null), and the key itself, opaque here. */
    public void authenticatedAs(String name, String team, Object key) {
        this.keyName = name;
        this.keyTeam = team;
        this.key = key;
    }

    /** The team of the key the request presented, or null. */
    public String keyTeam() {
        return keyTeam;
    }

    /** The virtual key the request presented, or null (a configured key, or none); opaque here. */
    public Object key() {
        return key;
    }

    /** What the key's limits hold for the request's inference, or null; opaque here. */
    public Object spending() {
        return spending;
    }

    public void spending(Object hold) {
        this.spending = hold;
    }

    /** The rate limits the answering upstream reported, requests and tokens; null where it sent none. */
    public RateLimit upstreamRequests() {
        return upstreamRequests;
    }

    public RateLimit upstreamTokens() {
        return upstreamTokens;
    }

    /** What the last upstream that answered said of its limits; only the thread carrying the call sets them. */
    public void upstreamRateLimits(RateLimit requests, RateLimit tokens) {
        this.upstreamRequests = requests;
        this.upstreamTokens = tokens;
    }

    /** The key's limit or check that refused the request, or null; its span says so. */
    public String refusal() {
        return refusal;
    }

    public void refusedBy(String reason) {
        this.refusal = reason;
    }

    /** Whether the request presented the admin key (only the admin paths take it). */
    public boolean admin() {
        return admin;
    }

    public void authenticatedAsAdmin() {
        this.admin = true;
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

    /** The agent session the client names ({@code X-Claude-Code-Session-Id}): one conversation across its calls; null when none. */
    public String session() {
        return session;
    }

    /** An id of at most 128 printable characters, else none: it becomes a span attribute and a log field. */
    private static String session(String header) {
        return plainId(header, 128);
    }

    /** {@code id} when it is 1 to {@code max} printable ASCII characters without spaces, else null: ids a client names go into spans, logs and rows. */
    public static String plainId(String id, int max) {
        if (id == null || id.isEmpty() || id.length() > max) {
            return null;
        }
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= 0x20 || c >= 0x7f) {
                return null;
            }
        }
        return id;
    }

    /** Whether the request's endpoint speaks Anthropic's API, whose errors have a shape of their own. */
    public boolean speaksAnthropic() {
        return anthropic;
    }

    /** A field of the client's request that a translation left out, as only tuning a provider this call did not reach. */
    public synchronized void dropped(String field) {
        // a client's own key can be named here: only a plain, short name reaches a header or a span
        field = FIELD.matcher(field).matches() ? field : "(a field with another name)";
        if (!dropped.contains(field) && dropped.size() < 32) {
            Set<String> more = new TreeSet<>(dropped);
            more.add(field);
            dropped = Collections.unmodifiableSet(more);
        }
    }

    /** The fields translations left out, in order; empty when none was. */
    public Set<String> droppedFields() {
        return dropped;
    }

    /** The client's tags ({@link ClientTags#HEADER}), bounded; empty without. */
    public Map<String, String> tags() {
        return tags;
    }

    /** Why the client's tags header cannot be taken; null when it can (or there is none). */
    public String tagsRefused() {
        return tagsRefused;
    }

    /** Another thread answers the request: it, not the first filter, ends the request. */
    public synchronized void defer() {
        deferred = true;
    }

    /** Runs {@code action} once the request thread has left the first filter: now, if it has. */
    public void whenDispatchLeft(Runnable action) {
        synchronized (this) {
            if (!dispatchLeft) {
                onDispatchLeft = action;
                return;
            }
        }
        action.run();
    }

    /** The request thread leaves the first filter: none of the application's code runs on it for this request any more. */
    public void dispatchLeft() {
        Runnable action;
        synchronized (this) {
            dispatchLeft = true;
            action = onDispatchLeft;
            onDispatchLeft = null;
        }
        if (action != null) {
            action.run();
        }
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
        run(action);
    }

    /**
     * Runs {@code action} once the exchange is complete, so that nothing it does delays the client: later, unless it is
     * complete already; then elsewhere, in the current context, since the thread at hand may still be serving the
     * request. Listeners hear of the request here.
     */
    public void afterCompletion(Runnable action) {
        synchronized (this) {
            if (!completed) {
                afterCompletion = added(afterCompletion, action);
                return;
            }
        }
        elsewhere.execute(Context.current().wrap(() -> run(action)));
    }

    /** The answer is written: runs the work waiting for it, in order. */
    public void answered() {
        List<Runnable> due;
        synchronized (this) {
            if (answered) {
                return;
            }
            answered = true;
            due = afterAnswer;
            afterAnswer = null;
        }
        runAll(due);
    }

    /** The exchange is complete (or left to the container to complete): runs the work waiting for that, here, in order. */
    public void completed() {
        runAll(complete());
    }

    /** As {@link #completed()}, the work run elsewhere: this thread is still inside the container's dispatch. */
    public void completedElsewhere() {
        List<Runnable> due = complete();
        if (due != null) {
            elsewhere.execute(Context.current().wrap(() -> runAll(due)));
        }
    }

    private List<Runnable> complete() {
        answered();
        synchronized (this) {
            if (completed) {
                return null;
            }
            completed = true;
            List<Runnable> due = afterCompletion;
            afterCompletion = null;
            return due;
        }
    }

    private static List<Runnable> added(List<Runnable> actions, Runnable action) {
        List<Runnable> list = actions == null ? new ArrayList<>(6) : actions;
        list.add(action);
        return list;
    }

    private void runAll(List<Runnable> actions) {
        if (actions != null) {
            actions.forEach(this::run);
        }
    }

    private void run(Runnable action) {
        try {
            action.run();
        } catch (RuntimeException | Error e) {
            failures.accept(e);
        }
    }
}
