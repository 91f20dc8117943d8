package dev.llmgateway.provider;

/**
 * One upstream. Each implementation translates its own wire format; requests and answers cross this interface
 * in the shape OpenAI's API gives their operation (chat completions, embeddings, text completions).
 */
public interface Provider {

    /** The configured name of this provider. */
    String name();

    /** Whether this provider can be asked for the operation at all; a model routes an operation only to those that can. */
    default boolean serves(Operation operation) {
        return operation == Operation.CHAT;
    }

    /** The responses this provider keeps for the Responses API, if it keeps any. */
    default java.util.Optional<StoredResponses> storedResponses() {
        return java.util.Optional.empty();
    }

    /**
     * The provider's own count of a Messages API request's input tokens, as it answers {@code count_tokens}
     * ({@code {"input_tokens":N}}); empty where it keeps no such count. Never a billed completion.
     */
    default java.util.Optional<byte[]> countTokens(ProviderRequest request) throws ProviderException {
        return java.util.Optional.empty();
    }

    /** Answers in one piece. */
    Completion complete(ProviderRequest request) throws ProviderException;

    /**
     * Opens a stream; returns once the upstream has accepted the request, so that a refusal can still
     * fall back to another provider. Usage arrives as a final usage-only chunk.
     */
    ChunkStream stream(ProviderRequest request) throws ProviderException;
}
