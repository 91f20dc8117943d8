package dev.llmgateway.inference;

import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderRequest;

/**
 * One call to one provider: what the provider span and the attempt metrics read.
 *
 * @param attempt 1 for the first call of this inference, counting across providers
 */
public record ProviderStep(Provider provider, ProviderRequest request, String inferenceId, int attempt) {
}
