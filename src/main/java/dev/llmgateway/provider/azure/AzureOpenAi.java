package dev.llmgateway.provider.azure;

import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.UpstreamHttp;
import dev.llmgateway.provider.openai.OpenAiProvider;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/**
 * Azure OpenAI: OpenAI's wire format at a deployment's URL ({@code …/deployments/<d>/chat/completions}, {@code /embeddings},
 * {@code /completions}; the Responses API at {@code /openai/responses}), {@code api-version} in the query and the key in
 * {@code api-key}. The deployment is the provider's {@code model} setting, else the model the client asked for.
 */
public final class AzureOpenAi {

    private AzureOpenAi() {
    }

    public static OpenAiProvider provider(UpstreamHttp http) {
        String base = http.settings().baseUrl().orElseThrow().toString();
        String apiVersion = URLEncoder.encode(http.settings().apiVersion().orElseThrow(), StandardCharsets.UTF_8);
        return new OpenAiProvider(http, (operation, deployment) -> URI.create(operation == Operation.RESPONSES
                // the Responses API is not per deployment: the deployment is the body's model
                ? base + "/openai/responses?api-version=" + apiVersion
                : base + "/openai/deployments/" + URLEncoder.encode(deployment, StandardCharsets.UTF_8).replace("+", "%20")
                + operation.path() + "?api-version=" + apiVersion), "api-key", "");
    }
}
