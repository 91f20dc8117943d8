package dev.llmgateway.inference;

import dev.llmgateway.config.FunctionSettings;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.VariantSettings;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Operation;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/** Runs a request through one variant: its system prompt first, its defaults where the request is silent. */
@ApplicationScoped
public class VariantInference {

    @Inject
    GatewaySettings settings;

    @Inject
    ModelInference models;

    @VariantSpan
    public InferenceResult infer(VariantStep step) {
        FunctionSettings function = step.function();
        VariantSettings variant = step.variant();
        InferenceRequest request = step.request();
        return models.infer(models.step(settings.model(variant.model()).orElseThrow(),
                request.inVariant(function.name(), variant.name(), apply(variant, request))));
    }

    static JsonObject apply(VariantSettings variant, InferenceRequest request) {
        if (variant.systemPrompt().isEmpty() && variant.defaults().isEmpty()) {
            return request.body();
        }
        JsonObjectBuilder body = Json.object(request.body());
        boolean responses = request.operation() == Operation.RESPONSES;
        variant.defaults().forEach((chatKey, value) -> {
            // defaults are written in chat's names; the Responses API names the completion limit its own way and has no response_format
            String key = responses && (chatKey.equals("max_tokens") || chatKey.equals("max_completion_tokens")) ? "max_output_tokens" : chatKey;
            if (responses && key.equals("response_format")) {
                return;
            }
            if (!request.body().containsKey(key) || request.body().get(key).getValueType() == JsonValue.ValueType.NULL) {
                body.add(key, value);
            }
        });
        if (responses) {
            // the Responses API takes the system prompt as instructions, ahead of any the client gave
            variant.systemPrompt().ifPresent(template -> body.add("instructions", PromptTemplate.render(template, request.variables())
                    + (request.body().get("instructions") instanceof JsonString own ? "\n\n" + own.getString() : "")));
            return body.build();
        }
        variant.systemPrompt().ifPresent(template -> {
            JsonArrayBuilder messages = Json.array().add(Json.object().add("role", "system")
                    .add("content", PromptTemplate.render(template, request.variables())));
            request.body().getJsonArray("messages").forEach(messages::add);
            body.add("messages", messages);
        });
        return body.build();
    }
}
