package dev.llmgateway.telemetry;

import java.util.List;
import dev.llmgateway.request.RequestState;
import dev.llmgateway.inference.ModelSpan;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.pricing.Pricing;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.StreamEnd;
import dev.llmgateway.provider.Usage;
import jakarta.inject.Inject;
import dev.llmgateway.inference.ModelStep;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import jakarta.annotation.Priority;
import jakarta.interceptor.AroundInvoke;
import jakarta.interceptor.Interceptor;
import jakarta.interceptor.InvocationContext;

import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.ATTEMPTS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.CONVERSATION_ID;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.DROPPED_FIELDS;
import static dev.llmgateway.telemetry.SpanAttributes.HighCardinality.INFERENCE_ID;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.API_KEY;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.MODEL;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.OPERATION;
import static dev.llmgateway.telemetry.SpanAttributes.LowCardinality.PROVIDER;

/** {@code model_inference <model>}: the fallback loop over the model's providers; one child span per attempt. */
@ModelSpan
@Interceptor
@Priority(Interceptor.Priority.APPLICATION)
public class ModelSpanInterceptor extends ChainSpanInterceptor<ModelStep> {

    @Inject
    Pricing pricing;

    public ModelSpanInterceptor() {
        super(ModelStep.class);
    }

    @AroundInvoke
    Object around(InvocationContext invocation) throws Exception {
        return trace(invocation);
    }

    @Override
    protected String name(ModelStep step) {
        return "model_inference " + step.model().name();
    }

    @Override
    protected void started(ModelStep step, SpanBuilder span) {
        String keyName = step.inference().keyName();
        if (!keyName.isEmpty()) {
            span.setAttribute(API_KEY, keyName);
        }
        if (step.inference().keyTeam() != null) {
            span.setAttribute(SpanAttributes.LowCardinality.API_KEY_TEAM, step.inference().keyTeam());
        }
        span.setAttribute(MODEL, step.model().name())
                .setAttribute(OPERATION, step.inference().operationName())
                .setAttribute(INFERENCE_ID, step.inference().inferenceId());
        if (step.inference().conversationId() != null) {
            span.setAttribute(CONVERSATION_ID, step.inference().conversationId());
        }
    }

    @Override
    protected void answered(ModelStep step, Span span, InferenceResult result, long elapsedNanos) {
        span.setAttribute(PROVIDER, result.route().provider());
        span.setAttribute(ATTEMPTS, result.route().attempts());
        if (!result.streamed()) {
            GenAiAttributes.cost(span, pricing.cost(result.route().provider(), step.model().name(), result.completion().summary().usage()));
        }
        RequestState state = RequestState.current();
        if (state != null && !state.droppedFields().isEmpty()) {
            span.setAttribute(DROPPED_FIELDS, List.copyOf(state.droppedFields()));
        }
    }

    /** A stream's cost, from the usage its chunks report (as the inference's end counts it). */
    @Override
    protected ChunkObserver observer(ModelStep step, InferenceResult result, long startNanos) {
        String provider = result.route().provider();
        return new ChunkObserver() {
            private Usage usage;

            @Override
            public void onChunk(Chunk chunk) {
                if (chunk.carriesUsage()) {
                    usage = chunk.usage();
                }
            }

            @Override
            public void onEnd(Span span, StreamEnd end, Throwable failure) {
                if (usage != null) {
                    GenAiAttributes.cost(span, pricing.cost(provider, step.model().name(), usage));
                }
            }
        };
    }
}
