package dev.llmgateway.ledger;

import dev.llmgateway.json.Json;
import dev.llmgateway.pricing.Pricing;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** What the admin API asks of the ledger: one inference, pages of them, usage and cost aggregated, feedback. */
@ApplicationScoped
public class LedgerQueries {

    /** The dimensions usage may be grouped by, and the fields they are. */
    public static final Map<String, String> DIMENSIONS = dimensions();

    @Inject
    Ledger ledger;

    @Inject
    Pricing pricing;

    private static Map<String, String> dimensions() {
        Map<String, String> dimensions = new LinkedHashMap<>();
        dimensions.put("key", "keyName");
        dimensions.put("team", "keyTeam");
        dimensions.put("model", "model");
        dimensions.put("provider", "provider");
        dimensions.put("function", "functionName");
        dimensions.put("operation", "operation");
        dimensions.put("day", "usageDay");
        return Map.copyOf(dimensions);
    }

    /** The inference with the feedback given on it and its conversation; empty when the ledger has no such row. */
    public Optional<JsonObject> inference(String id) {
        LedgerStore store = store();
        InferenceRecord row = store.find(id);
        if (row == null) {
            return Optional.empty();
        }
        JsonArrayBuilder feedback = Json.array();
        store.feedbackOn(row.id(), row.conversationId()).forEach(f -> feedback.add(f.toJson()));
        return Optional.of(row.toJson(ledger.settings().traceUrl(), true).add("feedback", feedback).build());
    }

    /** A page of inferences, newest first. */
    public JsonObject inferences(UsageFilter filter, int offset, int limit) {
        Map<String, Object> parameters = new LinkedHashMap<>();
        String where = where(filter, parameters);
        List<InferenceRecord> rows = store().query("SELECT i FROM InferenceRecord i" + where + " ORDER BY i.startedAt DESC, i.id DESC",
                InferenceRecord.class, parameters, offset, limit + 1);
        JsonArrayBuilder data = Json.array();
        String traceUrl = ledger.settings().traceUrl();
        rows.stream().limit(limit).forEach(row -> data.add(row.toJson(traceUrl, false)));
        return page(data, rows.size() > limit, offset + limit);
    }

    /** Inferences, tokens and cost summed per group of {@code groupBy} (dimensions of {@link #DIMENSIONS}). */
    public JsonObject usage(UsageFilter filter, List<String> groupBy, int offset, int limit) {
        StringBuilder select = new StringBuilder("SELECT ");
        StringBuilder group = new StringBuilder();
        for (String dimension : groupBy) {
            String field = "i." + DIMENSIONS.get(dimension);
            select.append(field).append(", ");
            group.append(group.isEmpty() ? " GROUP BY " : ", ").append(field);
        }
        select.append("COUNT(i), SUM(i.inputTokens), SUM(i.outputTokens), SUM(i.cacheReadTokens), SUM(i.cacheWriteTokens), SUM(i.reasoningTokens),"
                // a cost in another currency is not added (EclipseLink binds these literals; an untyped NULL would not do)
                + " SUM(CASE WHEN i.currency = '" + pricing.currency() + "' THEN i.cost ELSE 0 END),"
                + " SUM(CASE WHEN i.cost IS NULL OR i.currency <> '" + pricing.currency() + "' THEN 1 ELSE 0 END),"
                + " SUM(CASE WHEN i.outcome = 'error' THEN 1 ELSE 0 END) FROM InferenceRecord i");
        Map<String, Object> parameters = new LinkedHashMap<>(); // the currency is an ISO code the configuration checked
        String jpql = select + where(filter, parameters) + group + (group.isEmpty() ? "" : " ORDER BY " + group.substring(" GROUP BY ".length()));
        List<Object[]> rows = store().query(jpql, Object[].class, parameters, offset, limit + 1);
        JsonArrayBuilder data = Json.array();
        for (Object[] row : rows.subList(0, Math.min(limit, rows.size()))) {
            JsonObjectBuilder entry = Json.object();
            int at = 0;
            for (String dimension : groupBy) {
                Object value = row[at++];
                if (value == null) {
                    entry.addNull(dimension);
                } else {
                    entry.add(dimension, value.toString());
                }
            }
            long inferences = number(row[at++]);
            if (inferences == 0) {
                continue; // no rows at all: the aggregate of nothing
            }
            entry.add("inferences", inferences);
            entry.add("input_tokens", number(row[at++])).add("output_tokens", number(row[at++])).add("cache_read_tokens", number(row[at++]))
                    .add("cache_write_tokens", number(row[at++])).add("reasoning_tokens", number(row[at++]));
            Object cost = row[at++];
            entry.add("cost", cost == null ? BigDecimal.ZERO : (cost instanceof BigDecimal exact ? exact : new BigDecimal(cost.toString())).stripTrailingZeros()).add("currency", pricing.currency());
            entry.add("uncosted_inferences", number(row[at++])).add("errors", number(row[at]));
            data.add(entry);
        }
        JsonObjectBuilder page = Json.object().add("from", filter.from().toString()).add("to", filter.to().toString());
        JsonArrayBuilder dimensions = Json.array();
        groupBy.forEach(dimensions::add);
        return page.add("group_by", dimensions).add("data", data).add("has_more", rows.size() > limit)
                .add("next_offset", offset + limit).build();
    }

    /** Stores feedback given by {@code keyName} ({@code admin} may give it on any inference or conversation). */
    public JsonObject feedback(Feedback feedback, String keyName, boolean admin) {
        LedgerStore store = store();
        // another key's inference or conversation is as unknown as one that does not exist: nothing tells them apart
        if (feedback.inferenceId() != null) {
            InferenceRecord row = store.find(feedback.inferenceId());
            if (row == null || (!admin && !row.keyName().equals(keyName))) {
                throw new FeedbackRefusedException("The ledger has no inference '" + feedback.inferenceId() + "' made with this key"
                        + " (rows are written within gateway.ledger.flush-interval-ms of the answer).");
            }
        } else if (!store.conversationHeldBy(feedback.conversationId(), admin ? null : keyName)) {
            throw new FeedbackRefusedException("The ledger has no inference in conversation '" + feedback.conversationId() + "' made with this key.");
        }
        FeedbackRecord record = new FeedbackRecord(feedback, admin ? "(admin)" : keyName);
        store.save(record);
        return record.toJson().build();
    }

    private LedgerStore store() {
        LedgerStore store = ledger.store();
        if (store == null) {
            throw new LedgerUnavailableException(ledger.unavailable());
        }
        return store;
    }

    private static String where(UsageFilter filter, Map<String, Object> parameters) {
        StringBuilder where = new StringBuilder(" WHERE i.startedAt >= :from AND i.startedAt < :to");
        parameters.put("from", utc(filter.from()));
        parameters.put("to", utc(filter.to()));
        exact(where, parameters, "keyName", filter.key());
        exact(where, parameters, "model", filter.model());
        exact(where, parameters, "provider", filter.provider());
        exact(where, parameters, "functionName", filter.function());
        exact(where, parameters, "outcome", filter.outcome());
        return where.toString();
    }

    private static void exact(StringBuilder where, Map<String, Object> parameters, String field, String value) {
        if (value != null) {
            where.append(" AND i.").append(field).append(" = :").append(field);
            parameters.put(field, value);
        }
    }

    private static LocalDateTime utc(Instant instant) {
        return LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static long number(Object value) {
        return value == null ? 0 : ((Number) value).longValue();
    }

    private static JsonObject page(JsonArrayBuilder data, boolean more, int nextOffset) {
        JsonObjectBuilder page = Json.object().add("object", "list").add("data", data).add("has_more", more);
        if (more) {
            page.add("next_offset", nextOffset);
        }
        return page.build();
    }
}
