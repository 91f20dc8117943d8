package dev.llmgateway.provider;

/**
 * What a call asks of a model, as the GenAI conventions name it ({@code gen_ai.operation.name}); also a bounded
 * label on metrics and the log line.
 *
 * @param path where OpenAI's API serves it, below its {@code /v1} root
 */
public enum Operation {
    CHAT("chat", "/chat/completions"),
    EMBEDDINGS("embeddings", "/embeddings"),
    TEXT_COMPLETION("text_completion", "/completions"),
    /** OpenAI's Responses API: a chat operation in the conventions' terms, with its own request and event shapes. */
    RESPONSES("chat", "/responses"),
    /** Anthropic's Messages API: a chat operation in the conventions' terms, with Anthropic's request and event shapes. */
    MESSAGES("chat", "/messages");

    private final String conventionName;
    private final String path;

    Operation(String conventionName, String path) {
        this.conventionName = conventionName;
        this.path = path;
    }

    /** {@code gen_ai.operation.name}. */
    public String conventionName() {
        return conventionName;
    }

    public String path() {
        return path;
    }
}
