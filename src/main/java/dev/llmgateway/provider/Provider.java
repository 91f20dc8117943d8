package dev.llmgateway.provider;

/**
 * One upstream that answers chat completions. Each implementation translates its own wire format;
 * requests and answers cross this interface in OpenAI's chat-completions shape.
 */
public interface Provider {

    /** The configured name of this provider. */
    String name();

    /** Answers in one piece. */
    Completion complete(ProviderRequest request) throws ProviderException;

    /**
     * Opens a stream; returns once the upstream has accepted the request, so that a refusal can still
     * fall back to another provider. Usage arrives as a final usage-only chunk.
     */
    ChunkStream stream(ProviderRequest request) throws ProviderException;
}
