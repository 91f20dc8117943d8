package dev.llmgateway.inference;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.Providers;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.ArrayList;
import java.util.List;

/**
 * Runs a chat request against a model: its providers are tried in routing order until one answers.
 * A failure that another provider could avoid (connection, timeout, 429, 5xx) moves on; a refusal of the
 * request itself ends the attempt. A stream falls back only until the upstream has accepted it.
 */
@ApplicationScoped
public class InferenceService {

    @Inject
    GatewaySettings settings;

    @Inject
    Providers providers;

    public Completion complete(ChatRequest request) {
        return route(request, Provider::complete);
    }

    public ChunkStream stream(ChatRequest request) {
        return route(request, Provider::stream);
    }

    private <T> T route(ChatRequest request, Call<T> call) {
        ModelSettings model = settings.model(request.model()).orElseThrow(() -> new UnknownModelException(request.model()));
        List<ProviderException> failures = new ArrayList<>(1);
        for (String name : model.routing()) {
            Provider provider = providers.named(name);
            String upstreamModel = settings.providers().get(name).upstreamModel().orElse(model.name());
            try {
                return call.apply(provider, new ProviderRequest(request.body(), upstreamModel, request.stream()));
            } catch (ProviderException e) {
                failures.add(e);
                if (!e.reason().retryable()) {
                    break;
                }
            }
        }
        throw new InferenceFailedException(model.name(), failures);
    }

    @FunctionalInterface
    private interface Call<T> {
        T apply(Provider provider, ProviderRequest request) throws ProviderException;
    }
}
