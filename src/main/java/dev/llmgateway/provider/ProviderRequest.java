package dev.llmgateway.provider;

import jakarta.json.JsonObject;

/**
 * A request on its way to one provider.
 *
 * @param operation what is asked: chat, embeddings or a text completion
 * @param body      the request in OpenAI's shape for its operation, as the client sent it
 * @param model     the model name to send upstream
 */
public record ProviderRequest(Operation operation, JsonObject body, String model, boolean stream) {

    /** A chat-completions request. */
    public ProviderRequest(JsonObject body, String model, boolean stream) {
        this(Operation.CHAT, body, model, stream);
    }
}
