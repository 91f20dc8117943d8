package dev.llmgateway.inference;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Operation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Entry of the inference chain: names the inference, reads the gateway's own request fields, and sends the
 * request to a function ({@code "model": "function::<name>"}) or straight to a model.
 */
@ApplicationScoped
public class InferenceService {

    /** Body field pinning a function's variant; the header {@code X-Gateway-Variant} does the same. */
    public static final String VARIANT = "gateway::variant";
    /** Body field holding the variables of a variant's system-prompt template. */
    public static final String VARIABLES = "gateway::variables";

    @Inject
    GatewaySettings settings;

    @Inject
    FunctionInference functions;

    @Inject
    ModelInference models;

    public InferenceResult infer(ClientRequest client, Optional<String> variantHeader) {
        InferenceRequest request = request(client, variantHeader);
        if (client.model().startsWith(FunctionSettings.PREFIX)) {
            String name = client.model().substring(FunctionSettings.PREFIX.length());
            FunctionSettings function = settings.function(name).orElseThrow(() -> new UnknownModelException(client.model()));
            if (client.operation() != Operation.CHAT && client.operation() != Operation.RESPONSES) {
                // a variant is a system prompt and defaults for a conversation: nothing to apply to embeddings or a bare prompt
                throw new InvalidInferenceRequestException("model", "The function '" + name + "' serves chat completions and responses, not "
                        + client.operation().conventionName() + "; name a model instead");
            }
            // picked before the function's span opens, which names it; an unknown pinned variant is refused like an unknown model
            return functions.infer(new FunctionStep(function,
                    VariantPicker.pick(function, request.pinnedVariant(), ThreadLocalRandom.current().nextDouble()), request));
        }
        return models.infer(models.step(settings.model(client.model()).orElseThrow(() -> new UnknownModelException(client.model())), request));
    }

    private static InferenceRequest request(ClientRequest client, Optional<String> variantHeader) {
        JsonObject body = client.body();
        Optional<String> pinned = variantHeader.filter(v -> !v.isBlank());
        JsonObject variables = JsonValue.EMPTY_JSON_OBJECT;
        if (body.containsKey(VARIANT) || body.containsKey(VARIABLES)) {
            JsonValue variant = body.get(VARIANT);
            if (variant != null && !(variant instanceof JsonString)) {
                throw new InvalidInferenceRequestException(VARIANT, "'" + VARIANT + "' must be a string");
            }
            JsonValue vars = body.get(VARIABLES);
            if (vars != null && !(vars instanceof JsonObject)) {
                throw new InvalidInferenceRequestException(VARIABLES, "'" + VARIABLES + "' must be an object");
            }
            pinned = pinned.or(() -> Optional.ofNullable(variant).map(v -> ((JsonString) v).getString()));
            variables = vars == null ? JsonValue.EMPTY_JSON_OBJECT : (JsonObject) vars;
            JsonObjectBuilder stripped = Json.object(body);
            stripped.remove(VARIANT);
            stripped.remove(VARIABLES);
            body = stripped.build();
        }
        InferenceRequest request = new InferenceRequest(InferenceIds.next(), client.operation(), body, client.stream(), pinned, variables, client.memory());
        return body == client.body() ? request.sentAs(client.asSent()) : request;
    }
}
