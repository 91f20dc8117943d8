package dev.llmgateway.inference;

import jakarta.json.JsonObject;

import java.util.Optional;

/**
 * A request on its way down the chain function → variant → model → provider.
 *
 * @param inferenceId   this inference's UUIDv7, returned to the client and put on its telemetry
 * @param body          the chat-completions body, gateway extensions removed, variant changes applied
 * @param pinnedVariant the variant the client asked for, if any
 * @param variables     values for the variant's system-prompt template
 */
public record InferenceRequest(String inferenceId, JsonObject body, boolean stream, Optional<String> pinnedVariant, JsonObject variables) {

    public InferenceRequest withBody(JsonObject newBody) {
        return new InferenceRequest(inferenceId, newBody, stream, pinnedVariant, variables);
    }
}
