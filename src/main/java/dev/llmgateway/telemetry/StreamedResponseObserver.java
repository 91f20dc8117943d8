package dev.llmgateway.telemetry;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.StreamEnd;
import dev.llmgateway.events.CapturedContent;
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.provider.Usage;
import java.util.function.Function;
import io.opentelemetry.api.trace.Span;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.FINISH_REASONS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.OUTPUT_MESSAGES;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.RESPONSE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.RESPONSE_MODEL;

/** Collects a streamed answer's id, model, finish reasons (a response's status) and usage from the chunks as they pass. */
final class StreamedResponseObserver implements ChunkObserver {

    private String id;
    private String model;
    private final List<String> finishReasons = new ArrayList<>(1);
    private Usage usage;
    private final ContentCapture capture;
    private final StringBuilder text;

    private final Function<Usage, Cost> costing;
    private final CapturedContent captured;

    /**
     * @param capture where to put the streamed text, or null when content stays off spans
     * @param costing what the stream's usage cost
     */
    StreamedResponseObserver(ContentCapture capture, Function<Usage, Cost> costing, CapturedContent captured) {
        this.capture = capture;
        this.costing = costing;
        this.captured = captured;
        this.text = capture == null ? null : new StringBuilder();
    }

    @Override
    public void onChunk(Chunk chunk) {
        JsonObject json = chunk.json();
        // a Responses API event carries its response's id and model in the response it wraps, Anthropic's message_start in its message
        JsonObject envelope = json.get("response") instanceof JsonObject response ? response
                : json.get("message") instanceof JsonObject message ? message : json;
        if (id == null) {
            id = Json.string(envelope, "id").filter(s -> !s.isEmpty()).orElse(null);
        }
        if (model == null) {
            model = Json.string(envelope, "model").filter(s -> !s.isEmpty()).orElse(null);
        }
        if (chunk.eventType() == null) {
            GenAiAttributes.finishReasons(json, finishReasons);
        } else if (chunk.eventType().equals("response.completed") || chunk.eventType().equals("response.incomplete")) {
            Json.string(envelope, "status").ifPresent(finishReasons::add);
        } else if (chunk.eventType().equals("message_delta")) {
            Json.object(json, "delta").flatMap(delta -> Json.string(delta, "stop_reason")).ifPresent(finishReasons::add);
        }
        if (json.get("usage") instanceof JsonObject || chunk.carriesUsage()) {
            usage = chunk.usage();
        }
        if (capture != null && text.length() <= capture.maxChars()) {
            appendFirstChoiceText(json);
        }
    }

    private void appendFirstChoiceText(JsonObject chunk) {
        for (JsonValue choice : Json.array(chunk, "choices").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            if (choice instanceof JsonObject c && Json.integer(c, "index").orElse(0) == 0) {
                Json.object(c, "delta").flatMap(d -> Json.string(d, "content")).or(() -> Json.string(c, "text")).ifPresent(text::append);
            }
        }
    }

    @Override
    public void onEnd(Span span, StreamEnd end, Throwable failure) {
        if (id != null) {
            span.setAttribute(RESPONSE_ID, id);
        }
        if (model != null) {
            span.setAttribute(RESPONSE_MODEL, model);
        }
        span.setAttribute(FINISH_REASONS, GenAiAttributes.firstFew(finishReasons));
        if (usage != null) {
            GenAiAttributes.usage(span, usage);
            GenAiAttributes.cost(span, costing.apply(usage));
        }
        if (capture != null) {
            String output = capture.outputMessages(text, finishReasons);
            span.setAttribute(OUTPUT_MESSAGES, output);
            captured.output(output);
        }
    }
}
