package dev.llmgateway.inference;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.Providers;
import dev.llmgateway.telemetry.ModelSpan;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Runs a request against a model: its providers in routing order, each retried as configured, until one
 * answers. A failure another provider could avoid (connection, timeout, 429, 5xx) moves on; a refusal of the
 * request itself ends the inference. A stream can fall back until its first chunk has arrived.
 */
@ApplicationScoped
public class ModelInference {

    @Inject
    GatewaySettings settings;

    @Inject
    Providers providers;

    @Inject
    ProviderAttempt attempts;

    @ModelSpan
    public InferenceResult infer(ModelStep step) {
        ModelSettings model = step.model();
        InferenceRequest request = step.request();
        List<ProviderException> failures = new ArrayList<>(1);
        int attempt = 0;
        for (String name : step.routing()) {
            ProviderSettings provider = settings.providers().get(name);
            ProviderRequest call = new ProviderRequest(request.operation(), request.body(), provider.upstreamModel().orElse(model.name()),
                    request.stream(), request.memory());
            for (int retry = 0; retry <= provider.retries().count(); retry++) {
                try {
                    InferenceResult result = attempts.call(new ProviderStep(providers.named(name), call, request.inferenceId(), ++attempt));
                    return result.withRoute(result.route().withModel(model.name()));
                } catch (ProviderException e) {
                    failures.add(e);
                    if (!e.reason().retryable()) {
                        throw new InferenceFailedException(model.name(), request.inferenceId(), failures);
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
        throw new InferenceFailedException(model.name(), request.inferenceId(), failures);
    }

    /**
     * The step that runs the request on the model: its providers that can serve the operation, in routing order. A model
     * none of whose providers can is the client's mistake, refused before any span or metric counts an inference.
     */
    public ModelStep step(ModelSettings model, InferenceRequest request) {
        Operation operation = request.operation();
        List<String> serving = model.routing().stream().filter(name -> providers.named(name).serves(operation)).toList();
        if (serving.isEmpty()) {
            throw new InvalidInferenceRequestException("model", "The model '" + model.name() + "' cannot serve " + operation.conventionName()
                    + ": none of its providers (" + String.join(", ", model.routing()) + ") offers it");
        }
        return new ModelStep(model, serving, request);
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
