package dev.llmgateway.ledger;

/**
 * Feedback as a client sends it: on one inference or one conversation (exactly one of the two), a metric's name and
 * exactly one of a boolean, a number or a comment.
 */
public record Feedback(String inferenceId, String conversationId, String metric, Boolean bool, Double number, String comment) {
}
