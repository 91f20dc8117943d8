package dev.llmgateway.keys;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;

/** One limit a key or a team may carry: what it counts and over which fixed window, aligned to UTC. */
public enum LimitKind {
    REQUESTS_PER_SECOND(Unit.REQUESTS, Window.SECOND),
    REQUESTS_PER_MINUTE(Unit.REQUESTS, Window.MINUTE),
    REQUESTS_PER_DAY(Unit.REQUESTS, Window.DAY),
    TOKENS_PER_MINUTE(Unit.TOKENS, Window.MINUTE),
    TOKENS_PER_DAY(Unit.TOKENS, Window.DAY),
    BUDGET_PER_DAY(Unit.SPEND, Window.DAY),
    BUDGET_PER_MONTH(Unit.SPEND, Window.MONTH),
    BUDGET_TOTAL(Unit.SPEND, Window.TOTAL);

    /** What a limit counts. */
    public enum Unit { REQUESTS, TOKENS, SPEND }

    /** A fixed window: seconds, minutes and days of UTC, calendar months of UTC, or all time. */
    public enum Window {
        SECOND, MINUTE, DAY, MONTH, TOTAL;

        /** The start of the window holding {@code now}, in epoch seconds. */
        long start(Instant now) {
            long seconds = now.getEpochSecond();
            return switch (this) {
                case SECOND -> seconds;
                case MINUTE -> seconds - Math.floorMod(seconds, 60);
                case DAY -> seconds - Math.floorMod(seconds, 86_400);
                case MONTH -> LocalDate.ofInstant(now, ZoneOffset.UTC).withDayOfMonth(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                case TOTAL -> 0;
            };
        }

        /** The end of the window starting at {@code start}, in epoch seconds; {@link Long#MAX_VALUE} for all time. */
        long end(long start) {
            return switch (this) {
                case SECOND -> start + 1;
                case MINUTE -> start + 60;
                case DAY -> start + 86_400;
                case MONTH -> LocalDate.ofInstant(Instant.ofEpochSecond(start), ZoneOffset.UTC).plusMonths(1).atStartOfDay(ZoneOffset.UTC).toEpochSecond();
                case TOTAL -> Long.MAX_VALUE;
            };
        }
    }

    private final Unit unit;
    private final Window window;
    private final String key;

    LimitKind(Unit unit, Window window) {
        this.unit = unit;
        this.window = window;
        this.key = name().toLowerCase(Locale.ROOT);
    }

    public Unit unit() {
        return unit;
    }

    public Window window() {
        return window;
    }

    /** Its name in the admin API, in the database and on metrics: {@code requests_per_minute}, … */
    public String key() {
        return key;
    }

    /** Whether it is a spend budget, which fails closed by default and answers {@code insufficient_quota}. */
    public boolean budget() {
        return unit == Unit.SPEND;
    }

    static LimitKind of(String key) {
        for (LimitKind kind : values()) {
            if (kind.key.equals(key)) {
                return kind;
            }
        }
        return null;
    }
}
