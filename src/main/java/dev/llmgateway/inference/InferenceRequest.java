package dev.llmgateway.inference;

import dev.llmgateway.provider.AnswerMemory;
import dev.llmgateway.provider.AsSent;
import dev.llmgateway.provider.Operation;
import jakarta.json.JsonObject;

import java.util.Optional;

/**
 * A request on its way down the chain function → variant → model → provider.
 *
 * @param inferenceId   this inference's UUIDv7, returned to the client and put on its telemetry
 * @param operation     what the client asked for: chat, embeddings, a text completion
 * @param body          the body in OpenAI's shape for the operation, gateway extensions removed, variant changes applied
 * @param pinnedVariant the variant the client asked for, if any
 * @param variables     values for the variant's system-prompt template
 * @param function      the function being run, or null for a plain model call
 * @param variant       the variant being run, or null
 * @param memory        what the call's upstream answers are charged to
 * @param asSent        the request as its client sent it, while {@code body} is still what it sent; null otherwise
 */
public record InferenceRequest(String inferenceId, Operation operation, JsonObject body, boolean stream, Optional<String> pinnedVariant,
                               JsonObject variables, String function, String variant, AnswerMemory memory, AsSent asSent) {

    public InferenceRequest(String inferenceId, Operation operation, JsonObject body, boolean stream, Optional<String> pinnedVariant,
                            JsonObject variables, String function, String variant, AnswerMemory memory) {
        this(inferenceId, operation, body, stream, pinnedVariant, variables, function, variant, memory, null);
    }

    public InferenceRequest(String inferenceId, Operation operation, JsonObject body, boolean stream, Optional<String> pinnedVariant,
                            JsonObject variables) {
        this(inferenceId, operation, body, stream, pinnedVariant, variables, null, null, AnswerMemory.UNCOUNTED);
    }

    public InferenceRequest(String inferenceId, Operation operation, JsonObject body, boolean stream, Optional<String> pinnedVariant,
                            JsonObject variables, AnswerMemory memory) {
        this(inferenceId, operation, body, stream, pinnedVariant, variables, null, null, memory);
    }

    /** The same request, as its client sent it over the wire. */
    public InferenceRequest sentAs(AsSent sent) {
        return new InferenceRequest(inferenceId, operation, body, stream, pinnedVariant, variables, function, variant, memory, sent);
    }

    /** The same request as one variant of a function runs it: no longer what the client sent, unless the body is its own. */
    public InferenceRequest inVariant(String functionName, String variantName, JsonObject newBody) {
        return new InferenceRequest(inferenceId, operation, newBody, stream, pinnedVariant, variables, functionName, variantName, memory,
                newBody == body ? asSent : null);
    }
}
