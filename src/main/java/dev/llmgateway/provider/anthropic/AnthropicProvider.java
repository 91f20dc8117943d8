package dev.llmgateway.provider.anthropic;

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

    public AnthropicProvider(UpstreamHttp http) {
        this.http = http;
        this.messages = URI.create(http.settings().baseUrl().orElseThrow() + "/messages");
    }

    @Override
    public String name() {
        return http.settings().name();
    }

    @Override
    public Completion complete(ProviderRequest request) throws ProviderException {
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
        HttpPost upstream = request(request);
        upstream.setHeader("Accept", "text/event-stream");
        UpstreamBody response = http.exchange(upstream);
        return new AnthropicChunkStream(http, response, request.memory());
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
