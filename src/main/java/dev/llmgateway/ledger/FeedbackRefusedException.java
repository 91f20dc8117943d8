package dev.llmgateway.ledger;

/** Feedback on an inference or a conversation the ledger does not hold for the caller's key (404: another key's is as unknown). */
public class FeedbackRefusedException extends RuntimeException {

    public FeedbackRefusedException(String message) {
        super(message);
    }
}
