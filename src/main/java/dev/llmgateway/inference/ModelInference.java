package dev.llmgateway.inference;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.events.Inference;
import dev.llmgateway.events.CapturedContent;
import dev.llmgateway.events.Spending;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.Outcome;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.Providers;
import dev.llmgateway.provider.Usage;
import dev.llmgateway.request.RequestState;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs a request against a model: its providers in routing order, each retried as configured, until one
 * answers. A failure another provider could avoid (connection, timeout, 429, 5xx) moves on; a refusal of the
 * request itself ends the inference. A stream can fall back until its first chunk has arrived. Announces the
 * inference's end: at once for a whole answer or a failure, when the stream ends for a stream.
 */
@ApplicationScoped
public class ModelInference {

    @Inject
    GatewaySettings settings;

    @Inject
    Providers providers;

    @Inject
    ProviderAttempt attempts;

    @Inject
    GatewayEvents events;

    private final AtomicInteger openStreams = new AtomicInteger();

    @ModelSpan
    public InferenceResult infer(ModelStep step) {
        SpanContext trace = Span.current().getSpanContext();
        long start = System.nanoTime();
        List<ProviderException> failures = new ArrayList<>(1);
        InferenceResult result;
        try {
            result = walk(step, failures);
        } catch (InferenceFailedException e) {
            events.announce(failed(step, e.last().provider(), failures.size(), ErrorTypes.inference(e), start, trace));
            throw e;
        } catch (RuntimeException | Error e) {
            events.announce(failed(step, null, 0, ErrorTypes.inference(e), start, trace));
            throw e;
        }
        String provider = result.route().provider();
        boolean fellBack = !step.routing().get(0).name().equals(provider);
        if (!result.streamed()) {
            events.announce(new InferenceEnded(step.inference(), provider, result.route().attempts(), fellBack, false, Outcome.SUCCESS, null,
                    usage(result.completion().usage()), System.nanoTime() - start, -1, trace));
            return result;
        }
        long firstChunk = System.nanoTime() - start;
        openStreams.incrementAndGet();
        InferenceStream.Ending ending = (outcome, errorType, usage) -> {
            openStreams.decrementAndGet();
            events.announce(new InferenceEnded(step.inference(), provider, result.route().attempts(), fellBack, true, outcome, errorType,
                    usage, System.nanoTime() - start, outcome == Outcome.SUCCESS ? firstChunk : -1, trace));
        };
        return result.withStream(new InferenceStream(result.stream(), ending));
    }

    private InferenceResult walk(ModelStep step, List<ProviderException> failures) {
        InferenceRequest request = step.request();
        int attempt = 0;
        for (ProviderSettings provider : step.routing()) {
            ProviderRequest call = new ProviderRequest(request.operation(), request.body(), provider.upstreamModel().orElse(step.model().name()),
                    request.stream(), request.memory(), request.asSent());
            for (int retry = 0; retry <= provider.retries().count(); retry++) {
                try {
                    return attempts.call(new ProviderStep(providers.named(provider.name()), provider, call, step.inference(), ++attempt));
                } catch (ProviderException e) {
                    failures.add(e);
                    if (!e.reason().retryable()) {
                        throw new InferenceFailedException(step.model().name(), request.inferenceId(), failures);
                    }
                    if (e.reason() == ProviderException.Reason.UNSUPPORTED) {
                        break; // asking again changes nothing: the next provider may take it
                    }
                    if (retry == provider.retries().count() || !pause(backoff(provider.retries(), retry, e))) {
                        break;
                    }
                }
            }
        }
        throw new InferenceFailedException(step.model().name(), request.inferenceId(), failures);
    }

    private static InferenceEnded failed(ModelStep step, String provider, int attempts, String errorType, long start, SpanContext trace) {
        return new InferenceEnded(step.inference(), provider, attempts, false, step.request().stream(), Outcome.ERROR, errorType, Usage.UNKNOWN,
                System.nanoTime() - start, -1, trace);
    }

    private static Usage usage(Usage reported) {
        return reported == null ? Usage.UNKNOWN : reported;
    }

    /** The Responses API conversation the request continues, when it names one of a sensible length. */
    /**
     * The conversation the call belongs to: the Responses API's {@code conversation}, else its {@code prompt_cache_key}
     * (Codex keys it with its session), else the agent session the client's header names.
     */
    private static String conversation(JsonObject body, RequestState caller) {
        JsonValue conversation = body.get("conversation");
        String id = conversation instanceof JsonString s ? s.getString()
                : conversation instanceof JsonObject o ? Json.string(o, "id").orElse(null) : null;
        if (id == null && body.get("prompt_cache_key") instanceof JsonString key) {
            id = key.getString();
        }
        if (id == null && caller != null) {
            id = caller.session();
        }
        return RequestState.plainId(id, 256);
    }

    /** Streamed answers under way. */
    public int openStreams() {
        return openStreams.get();
    }

    /**
     * The step that runs the request on the model: its providers that can serve the operation, in routing order. A model
     * none of whose providers can is the client's mistake, refused before any span or metric counts an inference.
     */
    public ModelStep step(ModelSettings model, InferenceRequest request) {
        Operation operation = request.operation();
        List<ProviderSettings> serving = model.routing().stream().filter(name -> providers.named(name).serves(operation))
                .map(name -> settings.providers().get(name)).toList();
        if (serving.isEmpty()) {
            throw new InvalidInferenceRequestException("model", "The model '" + model.name() + "' cannot serve " + operation.conventionName()
                    + ": none of its providers (" + String.join(", ", model.routing()) + ") offers it");
        }
        RequestState caller = RequestState.current();
        Inference inference = new Inference(request.inferenceId(), operation, request.function(), request.variant(), model.name(),
                caller == null ? "" : caller.keyName(), caller == null ? Map.of() : caller.tags(), conversation(request.body(), caller),
                new CapturedContent(), caller == null ? null : caller.keyTeam(),
                caller != null && caller.spending() instanceof Spending spending ? spending : Spending.NONE);
        return new ModelStep(model, serving, request, inference);
    }

    /** The pause before repeating a call, or null when the upstream asked for a longer one than allowed. */
    static Duration backoff(ProviderSettings.Retries retries, int retry, ProviderException failure) {
        if (failure.retryAfter().isPresent()) {
            Duration asked = failure.retryAfter().get();
            return asked.compareTo(retries.maxBackoff()) <= 0 ? asked : null;
        }
        long base = retries.backoff().toMillis() << Math.min(retry, 20);
        long jittered = (long) (base * (0.5 + ThreadLocalRandom.current().nextDouble()));
        return Duration.ofMillis(Math.min(jittered, retries.maxBackoff().toMillis()));
    }

    private static boolean pause(Duration duration) {
        if (duration == null) {
            return false;
        }
        try {
            Thread.sleep(duration.toMillis());
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
