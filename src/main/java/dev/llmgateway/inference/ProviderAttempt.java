package dev.llmgateway.inference;

import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.telemetry.ProviderSpan;
import jakarta.enterprise.context.ApplicationScoped;

/** One call to one provider: the unit of fallback, and of the provider span. */
@ApplicationScoped
public class ProviderAttempt {

    @ProviderSpan
    public InferenceResult call(ProviderStep step) throws ProviderException {
        Provider provider = step.provider();
        ProviderRequest request = step.request();
        String inferenceId = step.inferenceId();
        Route route = Route.provider(provider.name(), step.attempt());
        if (request.stream()) {
            return new InferenceResult(inferenceId, route, null, PeekedChunkStream.open(provider.stream(request)));
        }
        return new InferenceResult(inferenceId, route, provider.complete(request), null);
    }
}
