package dev.llmgateway.provider;

import jakarta.json.JsonObject;

/**
 * A request on its way to one provider.
 *
 * @param operation what is asked: chat, embeddings or a text completion
 * @param body      the request in OpenAI's shape for its operation, as the client sent it
 * @param model     the model name to send upstream
 * @param memory    what the call's answers are charged to
 * @param asSent    the request as its client sent it, while {@code body} is still what it sent; null otherwise as they are read
 */
public record ProviderRequest(Operation operation, JsonObject body, String model, boolean stream, AnswerMemory memory, AsSent asSent) {

    public ProviderRequest(Operation operation, JsonObject body, String model, boolean stream, AnswerMemory memory) {
        this(operation, body, model, stream, memory, null);
    }

    public ProviderRequest(Operation operation, JsonObject body, String model, boolean stream) {
        this(operation, body, model, stream, AnswerMemory.UNCOUNTED);
    }

    /** A chat-completions request. */
    public ProviderRequest(JsonObject body, String model, boolean stream) {
        this(Operation.CHAT, body, model, stream);
    }
}
