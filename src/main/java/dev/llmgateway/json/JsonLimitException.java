package dev.llmgateway.json;

/** A JSON text passed a limit on its shape; {@code member} is the top-level member it happened in, when known. */
public class JsonLimitException extends RuntimeException {

    private final String member;

    public JsonLimitException(String what, String member) {
        super("The request body " + what, null, false, false);
        this.member = member;
    }

    public String member() {
        return member;
    }
}
