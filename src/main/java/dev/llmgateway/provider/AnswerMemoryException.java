package dev.llmgateway.provider;

import java.io.IOException;

/** An answer's next bytes did not fit the call's memory; thrown where reads throw, turned into the provider's failure. */
final class AnswerMemoryException extends IOException {

    private final AnswerMemory.Refusal refusal;

    AnswerMemoryException(AnswerMemory.Refusal refusal) {
        super("the answer did not fit the gateway's memory budget", null);
        this.refusal = refusal;
    }

    AnswerMemory.Refusal refusal() {
        return refusal;
    }
}
