package dev.llmgateway.events;

import dev.llmgateway.provider.Operation;

import java.util.Map;

/**
 * Which inference an event is about, as known before it ran: its id, what it asks, the route down to its model, and who
 * asked.
 *
 * @param function       the function it runs, or null for a plain model call
 * @param variant        the function's variant, or null
 * @param keyName        the gateway key's name, empty without one
 * @param tags           the client's tags, bounded
 * @param conversationId the conversation it continues, or null where unknown
 * @param content        its prompt and answer, where content capture renders them
 * @param keyTeam        the team of the gateway key, or null
 * @param spending       what the key's limits hold for this inference, told its real usage once it ended
 */
public record Inference(String inferenceId, Operation operation, String function, String variant, String model, String keyName,
                        Map<String, String> tags, String conversationId, CapturedContent content, String keyTeam, Spending spending) {

    public Inference(String inferenceId, Operation operation, String function, String variant, String model, String keyName,
                     Map<String, String> tags, String conversationId, CapturedContent content) {
        this(inferenceId, operation, function, variant, model, keyName, tags, conversationId, content, null, Spending.NONE);
    }

    public Inference(String inferenceId, Operation operation, String function, String variant, String model, String keyName,
                     Map<String, String> tags, String conversationId) {
        this(inferenceId, operation, function, variant, model, keyName, tags, conversationId, new CapturedContent());
    }

    /** {@code gen_ai.operation.name}: chat, embeddings, text_completion, … */
    public String operationName() {
        return operation.conventionName();
    }
}
