package dev.llmgateway.provider.anthropic;

import jakarta.json.JsonNumber;
import java.util.Optional;
import dev.llmgateway.json.TopLevelMember;
import dev.llmgateway.provider.AsSent;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.UpstreamFailures;
import jakarta.json.JsonObject;
import java.util.Map;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.UpstreamBody;
import dev.llmgateway.provider.UpstreamError;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.UpstreamHttp;
import jakarta.json.JsonException;
import org.apache.hc.client5.http.classic.methods.HttpPost;

import java.net.URI;

/** Anthropic's Messages API behind OpenAI's chat-completions shape. */
public final class AnthropicProvider implements Provider {

    private static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;

    private final UpstreamHttp http;
    private final URI messages;
    private final URI countTokens;
    /** A token count is a few bytes; anything much larger is not one. */
    private static final int COUNT_BYTES = 64 * 1024;

    public AnthropicProvider(UpstreamHttp http) {
        this.http = http;
        this.messages = URI.create(http.settings().baseUrl().orElseThrow() + "/messages");
        this.countTokens = URI.create(http.settings().baseUrl().orElseThrow() + "/messages/count_tokens");
    }

    @Override
    public String name() {
        return http.settings().name();
    }

    @Override
    public boolean serves(Operation operation) {
        return operation == Operation.CHAT || operation == Operation.MESSAGES;
    }

    @Override
    public Completion complete(ProviderRequest request) throws ProviderException {
        if (request.operation() == Operation.MESSAGES) {
            return message(request);
        }
        UpstreamBody response = http.exchange(request(request));
        byte[] body = http.readAll(response, MAX_MESSAGE_BYTES, request.memory());
        // its tree and the translated answer are built beside the bytes
        http.holdTree(request.memory(), body);
        http.hold(request.memory(), body.length);
        try {
            return Completion.of(AnthropicResponse.completion(Json.parseObject(body)));
        } catch (RuntimeException e) { // JsonException, a wrong type, or nesting past the parser's limit
            throw UpstreamFailures.malformed(name(), "a message that is not in Anthropic's format", e);
        }
    }

    @Override
    public ChunkStream stream(ProviderRequest request) throws ProviderException {
        boolean messages = request.operation() == Operation.MESSAGES;
        HttpPost upstream = messages ? passedOn(request) : request(request);
        upstream.setHeader("Accept", "text/event-stream");
        UpstreamBody response = http.exchange(upstream);
        return messages ? new AnthropicEventStream(http, response, request.memory()) : new AnthropicChunkStream(http, response, request.memory());
    }

    @Override
    public Optional<byte[]> countTokens(ProviderRequest request) throws ProviderException {
        UpstreamBody response = http.exchange(passedOn(request, countTokens));
        byte[] body = http.readAll(response, COUNT_BYTES, request.memory());
        try {
            if (!(Json.parseObject(body).get("input_tokens") instanceof JsonNumber)) {
                throw UpstreamFailures.malformed(name(), "a token count without input_tokens", null);
            }
        } catch (RuntimeException e) {
            throw UpstreamFailures.malformed(name(), "a token count that is not in Anthropic's format", e);
        }
        return Optional.of(body);
    }

    /** A Messages API call answered as Anthropic gave it, read only for what telemetry needs. */
    private Completion message(ProviderRequest request) throws ProviderException {
        UpstreamBody response = http.exchange(passedOn(request));
        byte[] body = http.readAll(response, MAX_MESSAGE_BYTES, request.memory());
        http.holdTree(request.memory(), body);
        try {
            JsonObject message = Json.parseObject(body);
            if (!"message".equals(Json.string(message, "type").orElse(null))) {
                throw UpstreamFailures.malformed(name(), "an answer that is not a message", null);
            }
            return Completion.of(body, AnthropicResponse.summary(message));
        } catch (RuntimeException e) { // JsonException, a wrong type, or nesting past the parser's limit
            throw UpstreamFailures.malformed(name(), "a message that is not in Anthropic's format", e);
        }
    }

    /**
     * The client's own request, byte for byte, with only the model named anew, and its {@code anthropic-version} and
     * {@code anthropic-beta}: what the gateway does not know, or must not touch (thinking signatures, cache breakpoints),
     * arrives unchanged. A body the chain changed (a function's variant) is written from its tree.
     */
    private HttpPost passedOn(ProviderRequest request) {
        return passedOn(request, messages);
    }

    private HttpPost passedOn(ProviderRequest request, URI to) {
        AsSent sent = request.asSent();
        byte[] body = sent == null ? null : TopLevelMember.replaceString(sent.body(), "model", request.model());
        if (body == null) {
            var rewritten = Json.object(request.body()).add("model", request.model());
            body = Json.toBytes((to == messages ? rewritten.add("stream", request.stream()) : rewritten).build());
        }
        HttpPost upstream = http.post(to, body);
        Map<String, String> headers = sent == null ? Map.of() : sent.headers();
        upstream.setHeader("anthropic-version", headers.getOrDefault("anthropic-version", http.settings().apiVersion().orElseThrow()));
        if (headers.containsKey("anthropic-beta")) {
            upstream.setHeader("anthropic-beta", headers.get("anthropic-beta"));
        }
        if (http.settings().apiKey().isPresent()) {
            upstream.setHeader("x-api-key", http.settings().apiKey().reveal());
        }
        return upstream;
    }

    private HttpPost request(ProviderRequest request) throws ProviderException {
        byte[] body;
        try {
            body = Json.toBytes(AnthropicRequest.translate(request.body(), request.model(), http.settings().maxTokens(), request.stream()));
        } catch (UnsupportedInputException e) {
            throw new ProviderException(name(), ProviderException.Reason.REQUEST_REJECTED, 400, e.getMessage(), null, e)
                    .with(UpstreamError.parameter(e.param()));
        }
        HttpPost upstream = http.post(messages, body);
        upstream.setHeader("anthropic-version", http.settings().apiVersion().orElseThrow());
        if (http.settings().apiKey().isPresent()) {
            upstream.setHeader("x-api-key", http.settings().apiKey().reveal());
        }
        return upstream;
    }
}
