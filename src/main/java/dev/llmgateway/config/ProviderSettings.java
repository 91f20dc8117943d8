package dev.llmgateway.config;

import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * One configured upstream.
 *
 * @param name          the configuration name, used in routing lists and errors
 * @param baseUrl       the API root, e.g. {@code https://api.openai.com/v1}; absent for the dummy provider
 * @param upstreamModel the model name sent upstream instead of the client's, when set
 * @param headers       extra request headers sent upstream with every call
 * @param apiVersion    Azure's {@code api-version} query parameter, or Anthropic's {@code anthropic-version} header
 * @param maxTokens     the {@code max_tokens} sent when the request has none (Anthropic requires one)
 * @param maxConnections upstream connections open at once, each carrying one call
 * @param dummy         the behaviour of a dummy provider
 */
public record ProviderSettings(
        String name,
        ProviderType type,
        Optional<URI> baseUrl,
        Secret apiKey,
        Optional<String> upstreamModel,
        Map<String, String> headers,
        Optional<String> apiVersion,
        long maxTokens,
        int maxConnections,
        Timeouts timeouts,
        Retries retries,
        DummyBehaviour dummy) {

    /** Header values and URL credentials may be secrets: only header names and the redacted URL are printed. */
    @Override
    public String toString() {
        return "ProviderSettings[name=" + name + ", type=" + type + ", baseUrl=" + baseUrl.map(u -> Redaction.url(u.toString())).orElse("(none)")
                + ", apiKey=" + apiKey + ", upstreamModel=" + upstreamModel.orElse("(client's)") + ", headers=" + headers.keySet()
                + ", apiVersion=" + apiVersion.orElse("(none)") + ", maxTokens=" + maxTokens + ", maxConnections=" + maxConnections + ", timeouts=" + timeouts
                + ", retries=" + retries + ", dummy=" + dummy + "]";
    }

    /**
     * @param connect   establishing the TCP/TLS connection
     * @param firstByte from sending the request to the response headers and, for streams, to the first chunk
     * @param read      the longest silence allowed between two reads of the response body
     */
    public record Timeouts(Duration connect, Duration firstByte, Duration read) {
    }

    /**
     * @param count      how many times a failed call is repeated on this provider before the next one is tried
     * @param backoff    the first pause between two calls; it doubles each time, with jitter
     * @param maxBackoff the longest pause, also the longest {@code Retry-After} honoured by waiting
     */
    public record Retries(int count, Duration backoff, Duration maxBackoff) {
    }

    /**
     * @param latency     delay before the first byte of an answer
     * @param chunkDelay  delay between two streamed words
     * @param errorStatus when non-zero, every call fails with this HTTP status
     * @param embeddingDimensions the length of the vectors it answers embeddings with, unless a request asks for another
     */
    public record DummyBehaviour(Duration latency, Duration chunkDelay, int errorStatus, int embeddingDimensions) {
    }
}
