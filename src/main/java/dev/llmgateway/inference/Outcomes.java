package dev.llmgateway.inference;

import dev.llmgateway.events.Outcome;
import dev.llmgateway.provider.StreamEnd;

/** A stream's end as a step's outcome: read to its end is a success, closed early by its client is cancelled. */
final class Outcomes {

    private Outcomes() {
    }

    static Outcome of(StreamEnd end) {
        return switch (end) {
            case COMPLETE -> Outcome.SUCCESS;
            case ERROR -> Outcome.ERROR;
            case CANCELLED -> Outcome.CANCELLED;
        };
    }
}
