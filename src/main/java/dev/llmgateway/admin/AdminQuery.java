package dev.llmgateway.admin;

import dev.llmgateway.ledger.LedgerQueries;
import dev.llmgateway.ledger.UsageFilter;
import dev.llmgateway.request.ApiError;
import jakarta.servlet.http.HttpServletRequest;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** An admin query's parameters, checked: a UTC time range, exact filters, grouping and paging. */
final class AdminQuery {

    static final int MAX_LIMIT = 1_000;
    private static final Set<String> PARAMETERS = Set.of("from", "to", "key", "model", "provider", "function", "outcome", "group_by", "limit", "offset");
    private static final Duration DEFAULT_RANGE = Duration.ofDays(30);
    private static final Instant EARLIEST = Instant.parse("1970-01-01T00:00:00Z");
    private static final Instant LATEST = Instant.parse("9999-12-31T00:00:00Z");

    private final HttpServletRequest request;

    AdminQuery(HttpServletRequest request) {
        this.request = request;
        for (String name : request.getParameterMap().keySet()) {
            if (!PARAMETERS.contains(name)) {
                throw refused("Unknown query parameter '" + shown(name) + "'; the admin API takes " + new java.util.TreeSet<>(PARAMETERS) + ".", name);
            }
            if (request.getParameterValues(name).length > 1) {
                throw refused("Query parameter '" + name + "' is given more than once.", name);
            }
        }
    }

    /** From {@code from} (default: 30 days before {@code to}) to {@code to} (default: now); instants or UTC dates. */
    UsageFilter filter() {
        Instant to = instant("to", Instant.now());
        Instant from = instant("from", to.minus(DEFAULT_RANGE));
        if (!from.isBefore(to)) {
            throw refused("'from' must be before 'to'.", "from");
        }
        return new UsageFilter(from, to, text("key"), text("model"), text("provider"), text("function"), text("outcome"));
    }

    List<String> groupBy() {
        String raw = text("group_by");
        Set<String> dimensions = new LinkedHashSet<>();
        for (String dimension : (raw == null ? "model" : raw).split(",")) {
            String name = dimension.strip();
            if (!LedgerQueries.DIMENSIONS.containsKey(name)) {
                throw refused("group_by takes " + LedgerQueries.DIMENSIONS.keySet().stream().sorted().toList() + ", separated by commas; not '" + shown(name) + "'.", "group_by");
            }
            dimensions.add(name);
        }
        return new ArrayList<>(dimensions);
    }

    int limit() {
        return (int) number("limit", 100, 1, MAX_LIMIT);
    }

    int offset() {
        return (int) number("offset", 0, 0, 1_000_000);
    }

    private String text(String name) {
        String value = request.getParameter(name);
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > 256) {
            throw refused("'" + name + "' is longer than 256 characters.", name);
        }
        return value;
    }

    private Instant instant(String name, Instant otherwise) {
        String value = text(name);
        if (value == null) {
            return otherwise;
        }
        try {
            Instant instant = value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant() : Instant.parse(value);
            if (instant.isBefore(EARLIEST) || instant.isAfter(LATEST)) {
                throw new DateTimeParseException("out of range", value, 0);
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw refused("'" + name + "' must be an instant (2026-12-07T10:00:00Z) or a UTC date (2026-12-07) from 1970 to 9999, not '" + shown(value) + "'.", name);
        }
    }

    private long number(String name, long otherwise, long min, long max) {
        String value = text(name);
        if (value == null) {
            return otherwise;
        }
        try {
            long number = Long.parseLong(value);
            if (number >= min && number <= max) {
                return number;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw refused("'" + name + "' must be a whole number from " + min + " to " + max + ".", name);
    }

    private static AdminException refused(String message, String param) {
        return new AdminException(ApiError.invalidRequest(message, param));
    }

    /** A client's text as an error may quote it: short, printable. */
    static String shown(String text) {
        String cut = text.length() > 64 ? text.substring(0, 64) + "…" : text;
        return cut.replaceAll("[^\\x20-\\x7e…]", "?");
    }
}
