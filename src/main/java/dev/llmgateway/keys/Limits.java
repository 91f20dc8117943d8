package dev.llmgateway.keys;

import dev.llmgateway.json.Json;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;

/** The limits of a key or a team: each kind at most once, a positive amount (requests, tokens, or spend). */
public record Limits(Map<LimitKind, Double> amounts) {

    public static final Limits NONE = new Limits(Map.of());
    /** No limit worth holding past this: it keeps every amount exact in a double and in the counters' column. */
    static final double MAX_AMOUNT = 1e15;
    /** The counters keep nine decimals: a smaller budget would be rounded away. */
    static final double MIN_BUDGET = 0.000001;

    public Limits {
        amounts = amounts.isEmpty() ? Map.of() : Collections.unmodifiableMap(new EnumMap<>(amounts));
    }

    public boolean isEmpty() {
        return amounts.isEmpty();
    }

    /**
     * Limits as the admin API takes them: {@code {"requests_per_minute": 60, "budget_per_day": 5.0, …}}; a limit set to
     * null is none. Requests and tokens are whole numbers.
     *
     * @throws IllegalArgumentException naming the field at fault
     */
    public static Limits parse(JsonValue value, String field) {
        if (value == null || value == JsonValue.NULL) {
            return NONE;
        }
        if (!(value instanceof JsonObject object)) {
            throw new IllegalArgumentException("'" + field + "' must be an object of limits");
        }
        Map<LimitKind, Double> amounts = new EnumMap<>(LimitKind.class);
        for (Map.Entry<String, JsonValue> entry : object.entrySet()) {
            LimitKind kind = LimitKind.of(entry.getKey());
            if (kind == null) {
                throw new IllegalArgumentException("'" + field + "' has an unknown limit (" + KeyText.shown(entry.getKey())
                        + "); the limits are requests_per_second, requests_per_minute, requests_per_day, tokens_per_minute, tokens_per_day,"
                        + " budget_per_day, budget_per_month and budget_total");
            }
            if (entry.getValue() == JsonValue.NULL) {
                continue;
            }
            if (!(entry.getValue() instanceof JsonNumber number)) {
                throw new IllegalArgumentException("'" + field + "." + kind.key() + "' must be a number");
            }
            double amount = number.doubleValue();
            if (!(amount > 0) || amount > MAX_AMOUNT || (kind.unit() != LimitKind.Unit.SPEND && amount != Math.rint(amount))
                    || (kind.budget() && amount < MIN_BUDGET)) {
                throw new IllegalArgumentException("'" + field + "." + kind.key() + "' must be " + (kind.budget() ? "an amount from 0.000001" : "a positive whole number")
                        + " up to 1e15");
            }
            amounts.put(kind, amount);
        }
        return new Limits(amounts);
    }

    /** As stored and shown: kinds in their order, whole numbers as integers. */
    public JsonObject toJson() {
        JsonObjectBuilder json = Json.object();
        amounts.forEach((kind, amount) -> {
            if (kind.budget()) {
                json.add(kind.key(), amount);
            } else {
                json.add(kind.key(), amount.longValue());
            }
        });
        return json.build();
    }

    /** From the stored text; none when there is none. */
    static Limits stored(String text) {
        return text == null || text.isEmpty() ? NONE : parse(Json.parseObject(text), "limits");
    }
}
