package dev.llmgateway.keys;

import dev.llmgateway.request.RateLimit;
import dev.llmgateway.request.RequestState;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rate-limit headers a client is told: OpenAI's {@code x-ratelimit-*} (resets as durations, {@code 6m0s}), or
 * Anthropic's {@code anthropic-ratelimit-*} (resets as RFC 3339 times) on the Messages API, for requests and tokens,
 * each the tighter of the key's own limits and the answering upstream's; spend budgets, which neither API has, as
 * {@code x-gateway-budget-*}.
 */
public final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    /** The headers of an answered call: the tighter of the key's limits (null without a virtual key) and the upstream's. */
    public static Map<String, String> answered(Limiter.Admitted admitted, RequestState state) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (state == null) {
            return headers;
        }
        Instant now = Instant.now();
        RateLimit requests = admitted == null ? null : admitted.requests();
        RateLimit tokens = admitted == null ? null : admitted.tokens();
        put(headers, "requests", tighter(requests, state.upstreamRequests()), state.speaksAnthropic(), now);
        put(headers, "tokens", tighter(tokens, state.upstreamTokens()), state.speaksAnthropic(), now);
        if (admitted != null) {
            headers.putAll(admitted.budget());
        }
        return headers;
    }

    /** The key's own, as a refusal tells them. */
    static Map<String, String> of(List<Allowance> allowances, Instant now, boolean anthropic) {
        Map<String, String> headers = new LinkedHashMap<>();
        put(headers, "requests", tightest(allowances, LimitKind.Unit.REQUESTS, now), anthropic, now);
        put(headers, "tokens", tightest(allowances, LimitKind.Unit.TOKENS, now), anthropic, now);
        headers.putAll(budget(allowances, now, anthropic));
        return headers;
    }

    /** The limit of {@code unit} with the least left, as a client is told it; null when the key has none. */
    static RateLimit tightest(List<Allowance> allowances, LimitKind.Unit unit, Instant now) {
        RateLimit tightest = null;
        for (Allowance allowance : allowances) {
            if (allowance.kind.unit() == unit) {
                RateLimit limit = new RateLimit((long) allowance.limit(), (long) Math.floor(allowance.remaining(now)), allowance.secondsToReset(now));
                if (limit.tighterThan(tightest)) {
                    tightest = limit;
                }
            }
        }
        return tightest;
    }

    /** The spend budget with the least left, as {@code x-gateway-budget-limit}, {@code -remaining} and {@code -reset}. */
    static Map<String, String> budget(List<Allowance> allowances, Instant now, boolean anthropic) {
        Allowance tightest = null;
        double least = Double.MAX_VALUE;
        for (Allowance allowance : allowances) {
            if (allowance.kind.budget()) {
                double remaining = allowance.remaining(now);
                if (remaining < least) {
                    least = remaining;
                    tightest = allowance;
                }
            }
        }
        if (tightest == null) {
            return Map.of();
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("x-gateway-budget-limit", amount(tightest.limit()));
        headers.put("x-gateway-budget-remaining", amount(least));
        long reset = tightest.secondsToReset(now);
        if (reset != Long.MAX_VALUE) {
            headers.put("x-gateway-budget-reset", anthropic ? rfc3339(now, reset) : duration(reset));
        }
        return headers;
    }

    private static RateLimit tighter(RateLimit own, RateLimit upstream) {
        return upstream != null && upstream.tighterThan(own) ? upstream : own;
    }

    private static void put(Map<String, String> headers, String name, RateLimit limit, boolean anthropic, Instant now) {
        if (limit == null) {
            return;
        }
        if (anthropic) {
            headers.put("anthropic-ratelimit-" + name + "-limit", Long.toString(limit.limit()));
            headers.put("anthropic-ratelimit-" + name + "-remaining", Long.toString(limit.remaining()));
            if (limit.resetSeconds() != Long.MAX_VALUE) {
                headers.put("anthropic-ratelimit-" + name + "-reset", rfc3339(now, limit.resetSeconds()));
            }
        } else {
            headers.put("x-ratelimit-limit-" + name, Long.toString(limit.limit()));
            headers.put("x-ratelimit-remaining-" + name, Long.toString(limit.remaining()));
            if (limit.resetSeconds() != Long.MAX_VALUE) {
                headers.put("x-ratelimit-reset-" + name, duration(limit.resetSeconds()));
            }
        }
    }

    /** Seconds as OpenAI writes a reset: {@code 1s}, {@code 6m0s}, {@code 1h2m3s}. */
    static String duration(long seconds) {
        long hours = seconds / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        if (hours > 0) {
            return hours + "h" + minutes + "m" + rest + "s";
        }
        return minutes > 0 ? minutes + "m" + rest + "s" : rest + "s";
    }

    private static String rfc3339(Instant now, long seconds) {
        return DateTimeFormatter.ISO_INSTANT.format(Instant.ofEpochSecond(now.getEpochSecond() + seconds));
    }

    private static String amount(double value) {
        return java.math.BigDecimal.valueOf(value).setScale(6, java.math.RoundingMode.DOWN).stripTrailingZeros().toPlainString();
    }
}
