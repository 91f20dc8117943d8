package dev.llmgateway.keys;

import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rate-limit headers of a key's tightest limits: OpenAI's {@code x-ratelimit-*} (resets as durations, {@code 6m0s}),
 * or Anthropic's {@code anthropic-ratelimit-*} (resets as RFC 3339 times) on the Messages API; spend budgets, which
 * neither API has, as {@code x-gateway-budget-*}.
 */
final class RateLimitHeaders {

    private RateLimitHeaders() {
    }

    static Map<String, String> of(List<Allowance> allowances, Instant now, boolean anthropic) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (LimitKind.Unit unit : LimitKind.Unit.values()) {
            Allowance tightest = null;
            double least = Double.MAX_VALUE;
            for (Allowance allowance : allowances) {
                if (allowance.kind.unit() == unit) {
                    double remaining = allowance.remaining(now);
                    if (remaining < least) {
                        least = remaining;
                        tightest = allowance;
                    }
                }
            }
            if (tightest != null) {
                add(headers, unit, tightest, least, now, anthropic);
            }
        }
        return headers;
    }

    private static void add(Map<String, String> headers, LimitKind.Unit unit, Allowance allowance, double remaining, Instant now, boolean anthropic) {
        long reset = allowance.secondsToReset(now);
        if (unit == LimitKind.Unit.SPEND) {
            headers.put("x-gateway-budget-limit", amount(allowance.limit()));
            headers.put("x-gateway-budget-remaining", amount(remaining));
            if (reset != Long.MAX_VALUE) {
                headers.put("x-gateway-budget-reset", anthropic ? rfc3339(now, reset) : duration(reset));
            }
            return;
        }
        String name = unit == LimitKind.Unit.REQUESTS ? "requests" : "tokens";
        long limit = (long) allowance.limit();
        long left = (long) Math.floor(remaining);
        if (anthropic) {
            headers.put("anthropic-ratelimit-" + name + "-limit", Long.toString(limit));
            headers.put("anthropic-ratelimit-" + name + "-remaining", Long.toString(left));
            headers.put("anthropic-ratelimit-" + name + "-reset", rfc3339(now, reset));
        } else {
            headers.put("x-ratelimit-limit-" + name, Long.toString(limit));
            headers.put("x-ratelimit-remaining-" + name, Long.toString(left));
            headers.put("x-ratelimit-reset-" + name, duration(reset));
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
