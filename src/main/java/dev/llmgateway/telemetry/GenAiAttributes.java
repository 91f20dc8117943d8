package dev.llmgateway.telemetry;

import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.CompletionSummary;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.CACHED_INPUT_TOKENS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.CACHE_WRITE_INPUT_TOKENS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.CHOICE_COUNT;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.EMBEDDING_DIMENSIONS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.ENCODING_FORMATS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.FINISH_REASONS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.FREQUENCY_PENALTY;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INPUT_TOKENS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.MAX_TOKENS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.OUTPUT_TOKENS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.PRESENCE_PENALTY;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.REASONING_TOKENS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.RESPONSE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.RESPONSE_MODEL;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.SEED;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.STOP_SEQUENCES;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.TEMPERATURE;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.TOP_P;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.OPERATION;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.PROVIDER_NAME;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.REQUEST_MODEL;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.REQUEST_STREAM;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.SERVER_ADDRESS;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.SERVER_PORT;

/** Reads GenAI attribute values from the request and answer the chain already parsed: nothing is parsed twice. */
final class GenAiAttributes {

    /** The most entries a client-sized list (stop sequences, finish reasons) puts on a span. */
    static final int MAX_LIST_ENTRIES = 16;
    static final int MAX_STOP_CHARS = 256;

    private GenAiAttributes() {
    }

    static void request(SpanBuilder span, ProviderSettings provider, ProviderRequest request) {
        JsonObject body = request.body();
        span.setAttribute(OPERATION, request.operation().conventionName())
                .setAttribute(PROVIDER_NAME, providerName(provider))
                .setAttribute(REQUEST_MODEL, request.model());
        if (request.operation() != Operation.EMBEDDINGS) {
            span.setAttribute(REQUEST_STREAM, request.stream()); // embeddings are never streamed
        }
        provider.baseUrl().ifPresent(url -> span.setAttribute(SERVER_ADDRESS, url.getHost()).setAttribute(SERVER_PORT, (long) port(url)));
        number(body, "temperature").ifPresent(v -> span.setAttribute(TEMPERATURE, v.doubleValue()));
        number(body, "top_p").ifPresent(v -> span.setAttribute(TOP_P, v.doubleValue()));
        number(body, "max_completion_tokens").or(() -> number(body, "max_tokens")).or(() -> number(body, "max_output_tokens")).ifPresent(v -> span.setAttribute(MAX_TOKENS, v.longValue()));
        number(body, "seed").ifPresent(v -> span.setAttribute(SEED, v.longValue()));
        number(body, "frequency_penalty").ifPresent(v -> span.setAttribute(FREQUENCY_PENALTY, v.doubleValue()));
        number(body, "presence_penalty").ifPresent(v -> span.setAttribute(PRESENCE_PENALTY, v.doubleValue()));
        number(body, "n").ifPresent(v -> span.setAttribute(CHOICE_COUNT, v.longValue()));
        if (request.operation() == Operation.EMBEDDINGS) {
            number(body, "dimensions").ifPresent(v -> span.setAttribute(EMBEDDING_DIMENSIONS, v.longValue()));
            if (body.get("encoding_format") instanceof JsonString format) {
                span.setAttribute(ENCODING_FORMATS, List.of(cut(format.getString())));
            }
        }
        JsonValue stop = body.get("stop");
        if (stop instanceof JsonString s) {
            span.setAttribute(STOP_SEQUENCES, List.of(cut(s.getString())));
        } else if (stop instanceof JsonArray list) {
            span.setAttribute(STOP_SEQUENCES, strings(list));
        }
    }

    /** From a whole chat completion. */
    static void response(Span span, CompletionSummary completion) {
        if (completion.id() != null && !completion.id().isEmpty()) {
            span.setAttribute(RESPONSE_ID, completion.id());
        }
        if (completion.model() != null && !completion.model().isEmpty()) {
            span.setAttribute(RESPONSE_MODEL, completion.model());
        }
        if (!completion.finishReasons().isEmpty()) {
            span.setAttribute(FINISH_REASONS, firstFew(completion.finishReasons())); // embeddings have none
        }
        usage(span, completion.usage());
    }

    static void finishReasons(JsonObject chunk, List<String> into) {
        for (JsonValue choice : Json.array(chunk, "choices").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            if (choice instanceof JsonObject c) {
                Json.string(c, "finish_reason").ifPresent(into::add);
            }
        }
    }

    /** The cost of a step's usage, where it is known. */
    static void cost(Span span, Cost cost) {
        if (cost.known()) {
            span.setAttribute(SpanAttributes.HighCardinality.COST, cost.amount());
            span.setAttribute(SpanAttributes.HighCardinality.COST_CURRENCY, cost.currency());
        }
    }

    static void usage(Span span, Usage usage) {
        setIfReported(span, INPUT_TOKENS, usage.inputTokens());
        setIfReported(span, OUTPUT_TOKENS, usage.outputTokens());
        setIfReported(span, CACHED_INPUT_TOKENS, usage.cachedInputTokens());
        setIfReported(span, CACHE_WRITE_INPUT_TOKENS, usage.cacheWriteTokens());
        setIfReported(span, REASONING_TOKENS, usage.reasoningTokens());
    }

    private static void setIfReported(Span span, AttributeKey<Long> key, long tokens) {
        if (tokens >= 0) {
            span.setAttribute(key, tokens);
        }
    }

    /** The GenAI conventions' well-known provider names; the dummy provider names itself. */
    static String providerName(ProviderSettings provider) {
        return switch (provider.type()) {
            case OPENAI -> "openai";
            case AZURE -> "azure.ai.openai";
            case ANTHROPIC -> "anthropic";
            case DUMMY -> "dummy";
        };
    }

    static int port(URI url) {
        return url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    }

    private static Optional<JsonNumber> number(JsonObject body, String key) {
        return body.get(key) instanceof JsonNumber n ? Optional.of(n) : Optional.empty();
    }

    /** The first few stop sequences, each cut short: the list is the client's and a span must stay small. */
    private static List<String> strings(JsonArray list) {
        List<String> strings = new ArrayList<>(Math.min(list.size(), MAX_LIST_ENTRIES));
        for (JsonValue value : list) {
            if (strings.size() == MAX_LIST_ENTRIES) {
                break;
            }
            if (value instanceof JsonString s) {
                strings.add(cut(s.getString()));
            }
        }
        return strings;
    }

    /** One finish reason per choice, and the client picks how many choices: the span keeps the first few. */
    static List<String> firstFew(List<String> finishReasons) {
        return finishReasons.size() <= MAX_LIST_ENTRIES ? finishReasons : finishReasons.subList(0, MAX_LIST_ENTRIES);
    }

    private static String cut(String text) {
        return text.length() <= MAX_STOP_CHARS ? text : text.substring(0, MAX_STOP_CHARS);
    }
}
