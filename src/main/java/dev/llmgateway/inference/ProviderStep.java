package dev.llmgateway.inference;

import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.events.Inference;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderRequest;

/**
 * One call to one provider: what the provider span reads.
 *
 * @param attempt 1 for the first call of this inference, counting across providers
 */
public record ProviderStep(Provider provider, ProviderSettings settings, ProviderRequest request, Inference inference, int attempt) {

    /** The route the answer takes if this call gives it. */
    Route route() {
        return new Route(inference.function(), inference.variant(), inference.model(), settings.name(), attempt);
    }
}
