package dev.llmgateway.inference;

import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.telemetry.ProviderSpan;
import jakarta.enterprise.context.ApplicationScoped;

/** One call to one provider: the unit of fallback, and of the provider span. */
@ApplicationScoped
public class ProviderAttempt {

    /** @param attempt 1 for the first call of this inference, counting across providers */
    @ProviderSpan
    public InferenceResult call(Provider provider, ProviderRequest request, String inferenceId, int attempt) throws ProviderException {
        Route route = Route.provider(provider.name(), attempt);
        if (request.stream()) {
            return new InferenceResult(inferenceId, route, null, PeekedChunkStream.open(provider.stream(request)));
        }
        return new InferenceResult(inferenceId, route, provider.complete(request), null);
    }
}
