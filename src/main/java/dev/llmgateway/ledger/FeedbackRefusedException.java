package dev.llmgateway.ledger;

/** Feedback that cannot be stored: its inference or conversation is unknown, or belongs to another key. */
public class FeedbackRefusedException extends RuntimeException {

    private final boolean notFound;

    public FeedbackRefusedException(boolean notFound, String message) {
        super(message);
        this.notFound = notFound;
    }

    /** True when nothing of that id is recorded (404), false when it is another key's (403). */
    public boolean notFound() {
        return notFound;
    }
}
