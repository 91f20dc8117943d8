package dev.llmgateway.ledger;

import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.json.Json;
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.provider.Usage;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Transient;

import java.math.BigDecimal;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Map;

/** One inference as the ledger keeps it: who asked, what answered, the tokens, the cost, the time and the trace. */
@Entity
@Table(name = "gateway_inference")
public class InferenceRecord {

    /** The content columns' size; capture's own bound (capture-content-max-chars) is normally far below it. */
    static final int MAX_CONTENT = 1_000_000;

    @Id
    String id;
    @Column(name = "started_at")
    LocalDateTime startedAt;
    @Column(name = "usage_day")
    LocalDate usageDay;
    @Column(name = "key_name")
    String keyName;
    @Column(name = "key_team")
    String keyTeam;
    String operation;
    @Column(name = "function_name")
    String functionName;
    @Column(name = "variant_name")
    String variantName;
    String model;
    String provider;
    String outcome;
    @Column(name = "error_type")
    String errorType;
    int attempts;
    @Column(name = "fell_back")
    boolean fellBack;
    boolean streamed;
    @Column(name = "input_tokens")
    Long inputTokens;
    @Column(name = "output_tokens")
    Long outputTokens;
    @Column(name = "cache_read_tokens")
    Long cacheReadTokens;
    @Column(name = "cache_write_tokens")
    Long cacheWriteTokens;
    @Column(name = "reasoning_tokens")
    Long reasoningTokens;
    BigDecimal cost;
    String currency;
    @Column(name = "duration_ms")
    double durationMs;
    @Column(name = "first_token_ms")
    Double firstTokenMs;
    @Column(name = "trace_id")
    String traceId;
    @Column(name = "span_id")
    String spanId;
    @Column(name = "conversation_id")
    String conversationId;
    String tags;
    @Column(name = "input_content")
    String inputContent;
    @Column(name = "output_content")
    String outputContent;
    @Transient
    long enqueuedNanos;

    public InferenceRecord() {
        // for Jakarta Persistence
    }

    /** The row of {@code ended}, which ended {@code endedAtMillis} (epoch milliseconds). */
    static InferenceRecord of(InferenceEnded ended, Cost cost, long endedAtMillis) {
        InferenceRecord row = new InferenceRecord();
        var inference = ended.inference();
        row.id = cut(inference.inferenceId(), 64);
        long startedMillis = endedAtMillis - ended.durationNanos() / 1_000_000;
        row.startedAt = LocalDateTime.ofEpochSecond(Math.floorDiv(startedMillis, 1000), (int) Math.floorMod(startedMillis, 1000) * 1_000_000, ZoneOffset.UTC);
        row.usageDay = row.startedAt.toLocalDate();
        row.keyName = cut(inference.keyName() == null ? "" : inference.keyName(), 128);
        row.keyTeam = cut(inference.keyTeam(), 128);
        row.operation = inference.operation().name().toLowerCase(java.util.Locale.ROOT);
        row.functionName = cut(inference.function(), 128);
        row.variantName = cut(inference.variant(), 128);
        row.model = cut(inference.model() == null ? "" : inference.model(), 256);
        row.provider = cut(ended.provider(), 128);
        row.outcome = ended.outcome().label();
        row.errorType = cut(ended.errorType(), 64);
        row.attempts = ended.attempts();
        row.fellBack = ended.fellBack();
        row.streamed = ended.streamed();
        Usage usage = ended.usage();
        row.inputTokens = reported(usage.inputTokens());
        row.outputTokens = reported(usage.outputTokens());
        row.cacheReadTokens = reported(usage.cachedInputTokens());
        row.cacheWriteTokens = reported(usage.cacheWriteTokens());
        row.reasoningTokens = reported(usage.reasoningTokens());
        if (cost.known()) {
            row.cost = BigDecimal.valueOf(cost.amount());
            row.currency = cost.currency();
        }
        row.durationMs = ended.durationNanos() / 1e6;
        row.firstTokenMs = ended.firstChunkNanos() < 0 ? null : ended.firstChunkNanos() / 1e6;
        if (ended.trace() != null && ended.trace().isValid()) {
            row.traceId = ended.trace().getTraceId();
            row.spanId = ended.trace().getSpanId();
        }
        row.conversationId = cut(inference.conversationId(), 256);
        row.tags = inference.tags().isEmpty() ? null : Json.toText(tagsJson(inference.tags())); // at most 16 × (64 + 256 + 6) characters
        row.inputContent = storable(cut(inference.content().input(), MAX_CONTENT));
        row.outputContent = storable(cut(inference.content().output(), MAX_CONTENT));
        return row;
    }

    /** The row as the admin API shows it, with {@code traceUrl} filled in where there is a trace; content only for one row. */
    JsonObjectBuilder toJson(String traceUrl, boolean withContent) {
        JsonObjectBuilder json = Json.object().add("id", id).add("started_at", startedAt.toInstant(ZoneOffset.UTC).toString())
                .add("key_name", keyName).add("operation", operation);
        optional(json, "key_team", keyTeam);
        optional(json, "function", functionName);
        optional(json, "variant", variantName);
        json.add("model", model);
        optional(json, "provider", provider);
        json.add("outcome", outcome);
        optional(json, "error_type", errorType);
        json.add("attempts", attempts).add("fell_back", fellBack).add("streamed", streamed);
        JsonObjectBuilder usage = Json.object();
        optional(usage, "input_tokens", inputTokens);
        optional(usage, "output_tokens", outputTokens);
        optional(usage, "cache_read_tokens", cacheReadTokens);
        optional(usage, "cache_write_tokens", cacheWriteTokens);
        optional(usage, "reasoning_tokens", reasoningTokens);
        json.add("usage", usage);
        if (cost == null) {
            json.addNull("cost");
        } else {
            json.add("cost", cost.stripTrailingZeros()).add("currency", currency);
        }
        json.add("duration_ms", durationMs);
        if (firstTokenMs != null) {
            json.add("time_to_first_token_ms", firstTokenMs);
        }
        optional(json, "trace_id", traceId);
        optional(json, "span_id", spanId);
        if (traceId != null && traceUrl != null) {
            json.add("trace_url", traceUrl.replace("{trace_id}", traceId));
        }
        optional(json, "conversation_id", conversationId);
        if (tags != null) {
            json.add("tags", Json.parseObject(tags));
        }
        if (withContent) {
            optional(json, "input", inputContent);
            optional(json, "output", outputContent);
        }
        return json;
    }

    /** Every column, in the order {@link #bind} sets them. */
    static final String INSERT = "INSERT INTO gateway_inference (id, started_at, usage_day, key_name, operation, function_name, variant_name, model,"
            + " provider, outcome, error_type, attempts, fell_back, streamed, input_tokens, output_tokens, cache_read_tokens, cache_write_tokens,"
            + " reasoning_tokens, cost, currency, duration_ms, first_token_ms, trace_id, span_id, conversation_id, tags, input_content, output_content,"
            + " key_team) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";

    void bind(PreparedStatement insert) throws SQLException {
        insert.setString(1, id);
        insert.setObject(2, startedAt);
        insert.setObject(3, usageDay);
        insert.setString(4, keyName);
        insert.setString(5, operation);
        insert.setString(6, functionName);
        insert.setString(7, variantName);
        insert.setString(8, model);
        insert.setString(9, provider);
        insert.setString(10, outcome);
        insert.setString(11, errorType);
        insert.setInt(12, attempts);
        insert.setBoolean(13, fellBack);
        insert.setBoolean(14, streamed);
        insert.setObject(15, inputTokens, Types.BIGINT);
        insert.setObject(16, outputTokens, Types.BIGINT);
        insert.setObject(17, cacheReadTokens, Types.BIGINT);
        insert.setObject(18, cacheWriteTokens, Types.BIGINT);
        insert.setObject(19, reasoningTokens, Types.BIGINT);
        insert.setBigDecimal(20, cost);
        insert.setString(21, currency);
        insert.setDouble(22, durationMs);
        insert.setObject(23, firstTokenMs, Types.DOUBLE);
        insert.setString(24, traceId);
        insert.setString(25, spanId);
        insert.setString(26, conversationId);
        insert.setString(27, tags);
        insert.setString(28, inputContent);
        insert.setString(29, outputContent);
        insert.setString(30, keyTeam);
    }

    String id() {
        return id;
    }

    long contentChars() {
        return (inputContent == null ? 0 : inputContent.length()) + (outputContent == null ? 0 : outputContent.length());
    }

    void withoutContent() {
        inputContent = null;
        outputContent = null;
    }

    String keyName() {
        return keyName;
    }

    String conversationId() {
        return conversationId;
    }

    LocalDateTime startedAt() {
        return startedAt;
    }

    private static JsonObject tagsJson(Map<String, String> tags) {
        JsonObjectBuilder json = Json.object();
        tags.forEach(json::add);
        return json.build();
    }

    private static Long reported(long tokens) {
        return tokens < 0 ? null : tokens;
    }

    /** Text a database takes: no NUL (PostgreSQL refuses it in text) and no lone surrogate (not encodable), each replaced by U+FFFD. */
    static String storable(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder clean = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            boolean bad = c == 0 || (Character.isSurrogate(c) && !pair);
            if (bad && clean == null) {
                clean = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (clean != null) {
                clean.append(bad ? '\uFFFD' : c);
                if (pair) {
                    clean.append(text.charAt(++i));
                }
            } else if (pair) {
                i++;
            }
        }
        return clean == null ? text : clean.toString();
    }

    static String cut(String text, int max) {
        return text == null || text.length() <= max ? text : text.substring(0, max);
    }

    private static void optional(JsonObjectBuilder json, String name, String value) {
        if (value != null) {
            json.add(name, value);
        }
    }

    private static void optional(JsonObjectBuilder json, String name, Long value) {
        if (value != null) {
            json.add(name, value);
        }
    }
}
