package dev.llmgateway.events;

/** What a key's limits hold for one inference before it runs, settled with what it really used once it ended. */
public interface Spending {

    Spending NONE = ended -> { };

    /** Settles the hold with the inference's real usage; called once, by the listener that keeps the limits. */
    void settle(InferenceEnded ended);
}
