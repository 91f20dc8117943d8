package dev.llmgateway.keys;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.KeySettings;
import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.config.VariantSettings;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.events.LimitRefused;
import dev.llmgateway.json.Json;
import dev.llmgateway.metrics.GatewayMetrics;
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.pricing.Pricing;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.Usage;
import dev.llmgateway.request.ApiError;
import dev.llmgateway.request.RateLimit;
import dev.llmgateway.request.RequestState;
import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Logger;

/**
 * The check every call of a virtual key passes before it runs: the key may call the model or function it names, and
 * each limit of the key and of its team has room for the call (one request, its estimated tokens, its estimated cost).
 * Limits are spent from slices this instance leased from the database; only an empty slice costs a round trip.
 */
@ApplicationScoped
public class Limiter {

    private static final Logger LOG = Logger.getLogger(Limiter.class.getName());
    /** Bytes of a request body per input token, as the estimate counts them before the provider does. */
    static final int BYTES_PER_TOKEN = 4;
    /** No model writes more per answer; a larger maximum is held at this (and no sum of estimates overflows). */
    static final long MAX_OUTPUT = 100_000_000;
    private static final long DOWN_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final int REFUSALS_KEPT = 20;
    private static final int KEYS_WITH_REFUSALS = 1_000;

    @Inject
    VirtualKeys keys;

    @Inject
    GatewaySettings gateway;

    @Inject
    Pricing pricing;

    @Inject
    GatewayEvents events;

    @Inject
    GatewayMetrics metrics;

    private KeySettings settings = KeySettings.DEFAULTS;
    private KeyLabels labels = new KeyLabels(KeySettings.DEFAULTS.labelledKeys());
    private final Map<String, Allowance> allowances = new ConcurrentHashMap<>();
    private final Map<String, Deque<JsonObject>> refusals = new ConcurrentHashMap<>();
    private final AtomicLong downUntil = new AtomicLong(System.nanoTime());
    private volatile boolean leasing = true;

    /** Made at startup, so that its gauges are scraped from the first second. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // making the bean registered them
    }

    @PostConstruct
    void configure() {
        settings = gateway.keys();
        labels = new KeyLabels(settings.labelledKeys());
        if (gateway.auth().adminSha256() != null && gateway.ledger().enabled()) {
            // only where virtual keys can exist: elsewhere there is nothing to lease
            metrics.limitGauges(() -> keys.up() && leasing, this::budgetsRemaining);
        }
    }

    /**
     * Admits {@code model}'s call for the request's virtual key, taking one request and the call's estimate from every
     * limit; null when the request has no virtual key (a configured key, or none: those have no limits).
     *
     * @param bodyBytes the request body's size, for the input estimate
     * @throws LimitRefusedException when the key may not call {@code model} or a limit has no room
     */
    public Admitted admit(RequestState state, Operation operation, String model, JsonObject body, long bodyBytes) {
        if (state == null || !(state.key() instanceof VirtualKey key)) {
            return null;
        }
        boolean anthropic = state.speaksAnthropic();
        Instant now = Instant.now();
        checkAllowed(state, model);
        Limits team = keys.teamLimits(key.team());
        if (key.limits().isEmpty() && team.isEmpty()) {
            return new Admitted(new Hold(List.of(), pricing), null, null, Map.of());
        }
        if (operation == Operation.RESPONSES && body.get("background") == JsonValue.TRUE && holdsUsage(key.limits(), team)) {
            throw refused(state, key, "background_with_limits", new ApiError(400, ApiError.INVALID_REQUEST, "background_not_allowed", "background",
                    "A background response's usage is known only later; a key with token limits or a budget cannot make one.", null), Map.of());
        }
        long input = (Math.max(0, bodyBytes) + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
        long output = operation == Operation.EMBEDDINGS ? 0 : maxTokens(body) * choices(body);
        double cost = costEstimate(model, input, output);
        List<Allowance> applying = new ArrayList<>();
        add(applying, "key:" + key.id(), key.limits());
        if (key.team() != null) {
            add(applying, "team:" + key.team(), team);
        }
        List<Hold.Part> parts = new ArrayList<>();
        List<Hold.Part> taken = new ArrayList<>();
        for (Allowance allowance : applying) {
            double amount = switch (allowance.kind.unit()) {
                case REQUESTS -> 1;
                case TOKENS -> input + output;
                case SPEND -> cost;
            };
            if (Double.isNaN(amount)) {
                giveBack(taken);
                throw refused(state, key, "model_unpriced", new ApiError(403, ApiError.INVALID_REQUEST, "model_unpriced", "model",
                        "The key '" + key.name() + "' has a spend budget, and '" + KeyText.shown(model).replace("'", "")
                                + "' has no price to charge it with (gateway.price.*).", null), Map.of());
            }
            LimitCounters counters = leaseFrom();
            Allowance.Taken took = allowance.take(amount, now, counters, settings.slicePercent());
            Allowance.Result result = took.result();
            if (result != Allowance.Result.UNAVAILABLE && counters != null && !leasing) {
                leasing = true;
                LOG.info("Key limits: the database leases again");
            }
            if (result == Allowance.Result.UNAVAILABLE) {
                leaseFailed();
                boolean open = allowance.kind.budget() ? settings.budgetFailOpen() : settings.rateFailOpen();
                if (open) {
                    metrics.limitsFailedOpen(allowance.kind.key());
                    continue;
                }
                giveBack(taken);
                throw refused(state, key, "limits_unavailable", new ApiError(503, "server_error", "limits_unavailable", null,
                        "The gateway cannot check this key's " + allowance.kind.key() + " now (its database does not answer); try again.",
                        Duration.ofSeconds(5)), Map.of());
            }
            if (result == Allowance.Result.EXHAUSTED) {
                giveBack(taken);
                throw exhausted(state, key, allowance, applying, amount, now, anthropic);
            }
            Hold.Part part = new Hold.Part(allowance, took.window(), amount);
            taken.add(part);
            if (allowance.kind.unit() != LimitKind.Unit.REQUESTS) {
                parts.add(part);
            }
        }
        return new Admitted(new Hold(parts, pricing), RateLimitHeaders.tightest(applying, LimitKind.Unit.REQUESTS, now),
                RateLimitHeaders.tightest(applying, LimitKind.Unit.TOKENS, now), RateLimitHeaders.budget(applying, now, anthropic));
    }

    /** Refuses (403 {@code model_not_allowed}) a virtual key calling a model or function it may not; nothing for other requests. */
    public void checkAllowed(RequestState state, String model) {
        if (state != null && state.key() instanceof VirtualKey key && !key.mayCall(model)) {
            throw refused(state, key, "model_not_allowed", new ApiError(403, ApiError.INVALID_REQUEST, "model_not_allowed", "model",
                    "The key '" + key.name() + "' may not call '" + KeyText.shown(model).replace("'", "") + "'.", null), Map.of());
        }
    }

    /**
     * What an admitted call holds, and what its answer tells of the key's limits.
     *
     * @param requests the key's request limit with the least left once the call was admitted; null without one
     * @param tokens   the same for tokens
     * @param budget   the budget headers
     */
    public record Admitted(Hold hold, RateLimit requests, RateLimit tokens, Map<String, String> budget) {

        /** The hold, to be settled by the inference that ended. */
        public dev.llmgateway.events.Spending settlement() {
            return hold;
        }

        /** Gives the estimate back unless the inference settled it: called once the request is complete. */
        public void releaseUnlessSettled() {
            hold.release();
        }
    }

    private void add(List<Allowance> applying, String scope, Limits limits) {
        limits.amounts().forEach((kind, limit) -> {
            Allowance allowance = allowances.computeIfAbsent(scope + "|" + kind.key(), ignored -> new Allowance(scope, kind, limit));
            if (allowance.limit() != limit) {
                allowance.limit(limit);
            }
            applying.add(allowance);
        });
    }

    private LimitCounters leaseFrom() {
        LimitCounters counters = keys.counters();
        return counters == null || System.nanoTime() - downUntil.get() < 0 ? null : counters;
    }

    private void leaseFailed() {
        long now = System.nanoTime();
        long until = downUntil.get();
        if (until - now <= 0 && downUntil.compareAndSet(until, now + DOWN_NANOS) && leasing) {
            leasing = false;
            LOG.warning(() -> "Key limits: the database does not lease; the slices held are spent, then request and token limits "
                    + (settings.rateFailOpen() ? "admit" : "refuse") + " calls and budgets " + (settings.budgetFailOpen() ? "admit" : "refuse")
                    + " them (gateway.limits.rate-fail-open, gateway.limits.budget-fail-open); gateway_limits_up is 0 until it leases again");
        }
    }

    private static void giveBack(List<Hold.Part> taken) {
        taken.forEach(part -> part.allowance().adjust(part.window(), part.amount()));
    }

    private static boolean holdsUsage(Limits key, Limits team) {
        for (Limits limits : List.of(key, team)) {
            for (LimitKind kind : limits.amounts().keySet()) {
                if (kind.unit() != LimitKind.Unit.REQUESTS) {
                    return true;
                }
            }
        }
        return false;
    }

    private LimitRefusedException exhausted(RequestState state, VirtualKey key, Allowance allowance, List<Allowance> applying, double amount,
                                            Instant now, boolean anthropic) {
        long reset = allowance.secondsToReset(now);
        Duration retryAfter = reset == Long.MAX_VALUE ? null : Duration.ofSeconds(Math.max(1, reset));
        String whose = allowance.scope.startsWith("team:") ? "team '" + key.team() + "'" : "key '" + key.name() + "'";
        ApiError error;
        if (allowance.kind.budget()) {
            String message = "The " + whose + " has spent its " + allowance.kind.key().replace('_', ' ') + " ("
                    + allowance.limit() + " " + pricing.currency() + ")" + (retryAfter == null ? "." : "; it renews in " + RateLimitHeaders.duration(reset) + ".");
            error = anthropic ? new ApiError(402, "billing_error", "insufficient_quota", null, message, null)
                    : new ApiError(429, "insufficient_quota", "insufficient_quota", null, message, retryAfter);
        } else {
            String unit = allowance.kind.unit() == LimitKind.Unit.REQUESTS ? "requests" : "tokens";
            error = new ApiError(429, unit, "rate_limit_exceeded", null, "Rate limit reached for the " + whose + " on " + allowance.kind.key().replace('_', ' ')
                    + ": limit " + (long) allowance.limit() + ", requested " + (long) Math.ceil(amount) + ". Try again in "
                    + RateLimitHeaders.duration(Math.max(1, reset)) + ".", retryAfter);
        }
        return refused(state, key, allowance.kind.key(), error, RateLimitHeaders.of(applying, now, anthropic));
    }

    private LimitRefusedException refused(RequestState state, VirtualKey key, String reason, ApiError error, Map<String, String> headers) {
        state.refusedBy(reason);
        events.announce(new LimitRefused(labels.of(key.name()), reason));
        Deque<JsonObject> recent = refusals.get(key.id());
        if (recent == null && refusals.size() < KEYS_WITH_REFUSALS) {
            recent = refusals.computeIfAbsent(key.id(), id -> new ArrayDeque<>());
        }
        if (recent != null) {
            synchronized (recent) {
                if (recent.size() == REFUSALS_KEPT) {
                    recent.removeFirst();
                }
                recent.addLast(Json.object().add("at", Instant.now().toString()).add("reason", reason).add("status", error.status()).build());
            }
        }
        return new LimitRefusedException(error, headers);
    }

    /** The last refusals of the key on this instance, oldest first. */
    List<JsonObject> recentRefusals(String keyId) {
        Deque<JsonObject> recent = refusals.get(keyId);
        if (recent == null) {
            return List.of();
        }
        synchronized (recent) {
            return List.copyOf(recent);
        }
    }

    /** What remains of each limit of {@code key} (and its team) as this instance sees it. */
    JsonObject remaining(VirtualKey key) {
        Instant now = Instant.now();
        var json = Json.object();
        for (String scope : key.team() == null ? List.of("key:" + key.id()) : List.of("key:" + key.id(), "team:" + key.team())) {
            for (LimitKind kind : LimitKind.values()) {
                Allowance allowance = allowances.get(scope + "|" + kind.key());
                if (allowance != null) {
                    json.add((scope.startsWith("team:") ? "team_" : "") + kind.key(), allowance.remaining(now));
                }
            }
        }
        return json.build();
    }

    /** The output a request may produce per choice: the maximum it names (at most {@link #MAX_OUTPUT}), else the configured default. */
    private long maxTokens(JsonObject body) {
        for (String field : List.of("max_completion_tokens", "max_tokens", "max_output_tokens")) {
            var named = Json.integer(body, field);
            if (named.isPresent() && named.getAsLong() > 0) {
                return Math.min(named.getAsLong(), MAX_OUTPUT);
            }
        }
        return settings.defaultMaxTokens();
    }

    /** The choices a request asks for ({@code n}), each its own output; 1 to 128. */
    private static long choices(JsonObject body) {
        var n = Json.integer(body, "n");
        return n.isPresent() ? Math.max(1, Math.min(128, n.getAsLong())) : 1;
    }

    /** The estimate priced as the dearest of the models the call may reach; NaN when one has no price. */
    double costEstimate(String model, long input, long output) {
        List<ModelSettings> reached = new ArrayList<>();
        if (model.startsWith(FunctionSettings.PREFIX)) {
            gateway.function(model.substring(FunctionSettings.PREFIX.length())).ifPresent(function -> {
                for (VariantSettings variant : function.variants().values()) {
                    gateway.model(variant.model()).ifPresent(reached::add);
                }
            });
        } else {
            gateway.model(model).ifPresent(reached::add);
        }
        double dearest = 0;
        Usage usage = new Usage(input, output);
        for (ModelSettings reachable : reached) {
            for (String provider : reachable.routing()) {
                Cost cost = pricing.cost(provider, reachable.name(), usage);
                if (!cost.known()) {
                    return Double.NaN;
                }
                dearest = Math.max(dearest, cost.amount());
            }
        }
        return dearest;
    }

    /** Remaining spend per labelled key and budget, for the gauge. */
    private Map<List<String>, Double> budgetsRemaining() {
        Instant now = Instant.now();
        Map<List<String>, Double> remaining = new LinkedHashMap<>();
        for (VirtualKey key : keys.all().values()) {
            if (key.revokedAt() != null || !labels.labelled(key.name())) {
                continue;
            }
            for (LimitKind kind : List.of(LimitKind.BUDGET_PER_DAY, LimitKind.BUDGET_PER_MONTH, LimitKind.BUDGET_TOTAL)) {
                Allowance allowance = allowances.get("key:" + key.id() + "|" + kind.key());
                if (allowance != null) {
                    remaining.put(List.of(key.name(), kind.key()), allowance.remaining(now));
                }
            }
        }
        return remaining;
    }

    /** Gives the unspent slices back, so that the other instances may spend them. */
    @PreDestroy
    void stop() {
        LimitCounters counters = keys.counters();
        if (counters == null) {
            return;
        }
        Instant now = Instant.now();
        for (Allowance allowance : allowances.values()) {
            double unspent = allowance.release(now);
            if (unspent > 0) {
                try {
                    counters.giveBack(allowance.scope, allowance.kind, allowance.kind.window().start(now), unspent);
                } catch (java.sql.SQLException | RuntimeException e) {
                    LOG.fine(() -> "Key limits: an unspent slice was not given back (" + e + ")");
                    return;
                }
            }
        }
    }
}
