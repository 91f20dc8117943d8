package dev.llmgateway.inference;

import dev.llmgateway.provider.Operation;
import jakarta.json.JsonObject;

/**
 * A validated request as one endpoint received it.
 *
 * @param operation    what the endpoint asks of a model
 * @param model        the model name the client asked for
 * @param body         the request as sent, in OpenAI's shape for the operation
 * @param includeUsage whether the client asked for the usage chunk at the end of a stream
 */
public record ClientRequest(Operation operation, String model, JsonObject body, boolean stream, boolean includeUsage) {

    /** A chat-completions request. */
    public ClientRequest(String model, JsonObject body, boolean stream, boolean includeUsage) {
        this(Operation.CHAT, model, body, stream, includeUsage);
    }
}
