package dev.llmgateway.inference;

import dev.llmgateway.provider.AnswerMemory;
import dev.llmgateway.provider.AsSent;
import dev.llmgateway.provider.Operation;
import jakarta.json.JsonObject;

/**
 * A validated request as one endpoint received it.
 *
 * @param operation    what the endpoint asks of a model
 * @param model        the model name the client asked for
 * @param body         the request as sent, in OpenAI's shape for the operation
 * @param includeUsage whether the client asked for the usage chunk at the end of a stream
 * @param memory       what the call's upstream answers are charged to
 * @param asSent       the request as it came over the wire, for providers that speak its protocol; null when not kept
 */
public record ClientRequest(Operation operation, String model, JsonObject body, boolean stream, boolean includeUsage, AnswerMemory memory,
                            AsSent asSent) {

    public ClientRequest(Operation operation, String model, JsonObject body, boolean stream, boolean includeUsage, AnswerMemory memory) {
        this(operation, model, body, stream, includeUsage, memory, null);
    }

    public ClientRequest(Operation operation, String model, JsonObject body, boolean stream, boolean includeUsage) {
        this(operation, model, body, stream, includeUsage, AnswerMemory.UNCOUNTED);
    }

    /** The same request, its answers charged to {@code answers}. */
    public ClientRequest chargingAnswersTo(AnswerMemory answers) {
        return new ClientRequest(operation, model, body, stream, includeUsage, answers, asSent);
    }

    /** The same request, with its bytes and protocol headers as the client sent them. */
    public ClientRequest sentAs(AsSent sent) {
        return new ClientRequest(operation, model, body, stream, includeUsage, memory, sent);
    }

    /** A chat-completions request. */
    public ClientRequest(String model, JsonObject body, boolean stream, boolean includeUsage) {
        this(Operation.CHAT, model, body, stream, includeUsage);
    }
}
