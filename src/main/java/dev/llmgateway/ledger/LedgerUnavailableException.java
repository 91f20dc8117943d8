package dev.llmgateway.ledger;

/** The ledger cannot answer now: it is off, or its database does not answer. */
public class LedgerUnavailableException extends RuntimeException {

    public LedgerUnavailableException(String why) {
        super(why);
    }
}
