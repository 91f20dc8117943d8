package dev.llmgateway.request;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rate limit as a client is told it: how many requests (or tokens) the window allows, how many remain, and the
 * seconds until it resets; the gateway's own, or an upstream's as its headers said.
 */
public record RateLimit(long limit, long remaining, long resetSeconds) {

    private static final Pattern DURATION = Pattern.compile("(?:(\\d+)h)?(?:(\\d+)m(?!s))?(?:(\\d+(?:\\.\\d+)?)s)?(?:(\\d+)ms)?");

    /** Whether this one leaves less than {@code other}: the one a client should be told. */
    public boolean tighterThan(RateLimit other) {
        return other == null || remaining < other.remaining;
    }

    /**
     * From an upstream's headers: OpenAI's resets as durations ({@code 6m0s}, {@code 20ms}), Anthropic's as RFC 3339 times;
     * null when a value is missing or unreadable.
     */
    public static RateLimit of(String limit, String remaining, String reset, Instant now) {
        if (limit == null || remaining == null) {
            return null;
        }
        try {
            long resetSeconds = reset == null ? 0 : resetSeconds(reset.strip(), now);
            return resetSeconds < 0 ? null : new RateLimit(Long.parseLong(limit.strip()), Long.parseLong(remaining.strip()), resetSeconds);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long resetSeconds(String reset, Instant now) {
        if (reset.contains("T")) {
            try {
                return Math.max(0, Duration.between(now, Instant.parse(reset)).toSeconds());
            } catch (DateTimeParseException e) {
                return -1;
            }
        }
        Matcher duration = DURATION.matcher(reset);
        if (reset.isEmpty() || !duration.matches()) {
            return -1;
        }
        double seconds = number(duration.group(1)) * 3600 + number(duration.group(2)) * 60 + number(duration.group(3)) + number(duration.group(4)) / 1000;
        return (long) Math.ceil(seconds);
    }

    private static double number(String group) {
        return group == null ? 0 : Double.parseDouble(group);
    }
}
