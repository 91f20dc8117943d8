package dev.llmgateway.provider;

import jakarta.json.JsonObject;

/**
 * A chat-completions request on its way to one provider.
 *
 * @param body  the request in OpenAI's shape, as the client sent it
 * @param model the model name to send upstream
 */
public record ProviderRequest(JsonObject body, String model, boolean stream) {
}
