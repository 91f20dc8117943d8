package dev.llmgateway.provider;

import java.util.Map;

/**
 * A request as its client sent it over the wire, for a provider that speaks the client's own protocol: it goes upstream
 * byte for byte (only the model is named anew), so that what the gateway does not know, or must not touch (thinking
 * signatures, cache breakpoints, beta fields), arrives as the client wrote it.
 *
 * @param body    the body's bytes as they came
 * @param headers the protocol's own headers the client sent ({@code anthropic-version}, {@code anthropic-beta}), by lower-case name
 */
public record AsSent(byte[] body, Map<String, String> headers) {

    public AsSent {
        headers = Map.copyOf(headers);
    }
}
