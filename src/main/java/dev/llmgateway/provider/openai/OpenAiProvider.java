package dev.llmgateway.provider.openai;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.StoredResponses;
import dev.llmgateway.provider.UpstreamBody;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.UpstreamHttp;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;

import java.net.URI;
import java.util.EnumMap;
import java.util.Optional;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Any server that speaks OpenAI's API (chat completions, embeddings, legacy completions): OpenAI itself, vLLM,
 * Ollama, LM Studio, … and, with its own URLs and key header, Azure OpenAI.
 */
public final class OpenAiProvider implements Provider {

    private static final int MAX_COMPLETION_BYTES = 64 * 1024 * 1024;

    private final UpstreamHttp http;
    private final BiFunction<Operation, String, URI> endpoint;
    private final String keyHeader;
    private final String keyPrefix;

    /**
     * @param endpoint  the URL of an operation for an upstream model name
     * @param keyHeader the header that carries the API key, its value prefixed with {@code keyPrefix}
     */
    public OpenAiProvider(UpstreamHttp http, BiFunction<Operation, String, URI> endpoint, String keyHeader, String keyPrefix) {
        this.http = http;
        this.endpoint = endpoint;
        this.keyHeader = keyHeader;
        this.keyPrefix = keyPrefix;
    }

    /** OpenAI and compatible servers: {@code <base-url>/chat/completions} (and so on) with a bearer token. */
    public static OpenAiProvider compatible(UpstreamHttp http) {
        Map<Operation, URI> urls = new EnumMap<>(Operation.class);
        for (Operation operation : Operation.values()) {
            urls.put(operation, URI.create(http.settings().baseUrl().orElseThrow() + operation.path()));
        }
        return new OpenAiProvider(http, (operation, model) -> urls.get(operation), "Authorization", "Bearer ");
    }

    @Override
    public String name() {
        return http.settings().name();
    }

    @Override
    public boolean serves(Operation operation) {
        return true;
    }

    /** OpenAI and Azure keep the responses made with {@code store}: the gateway reaches them where they are. */
    @Override
    public Optional<StoredResponses> storedResponses() {
        return Optional.of((method, path, query, memory) -> {
            String root = endpoint.apply(Operation.RESPONSES, "").toString();
            int question = root.indexOf('?');
            String url = question < 0 ? root + path + (query.isEmpty() ? "" : "?" + query)
                    : root.substring(0, question) + path + root.substring(question) + (query.isEmpty() ? "" : "&" + query);
            HttpUriRequestBase upstream = http.bodiless(method, URI.create(url));
            if (http.settings().apiKey().isPresent()) {
                upstream.setHeader(keyHeader, keyPrefix + http.settings().apiKey().reveal());
            }
            return http.readAll(http.exchange(upstream), MAX_COMPLETION_BYTES, memory);
        });
    }

    @Override
    public Completion complete(ProviderRequest request) throws ProviderException {
        UpstreamBody response = http.exchange(request(request));
        byte[] body = http.readAll(response, MAX_COMPLETION_BYTES, request.memory());
        if (request.operation() == Operation.CHAT || request.operation() == Operation.RESPONSES) {
            // content capture and a function's Responses answer read it as a tree
            http.holdTree(request.memory(), body);
        } else {
            http.hold(request.memory(), body.length); // its text, for the summary
        }
        try {
            return Completion.parse(body);
        } catch (RuntimeException e) {
            // JsonException, and the parser's own RuntimeException for nesting past its depth limit
            throw UpstreamFailures.malformed(name(), "a completion that is not a JSON object the gateway can read", e);
        }
    }

    @Override
    public ChunkStream stream(ProviderRequest request) throws ProviderException {
        HttpPost upstream = request(request);
        upstream.setHeader("Accept", "text/event-stream");
        UpstreamBody response = http.exchange(upstream);
        return new OpenAiChunkStream(http, response, request.memory());
    }

    private HttpPost request(ProviderRequest request) {
        JsonObjectBuilder body = Json.object(request.body()).add("model", request.model());
        if (request.operation() == Operation.EMBEDDINGS) {
            // embeddings know no stream, and OpenAI refuses arguments it does not know
            body.remove("stream");
            body.remove("stream_options");
        } else {
            body.add("stream", request.stream());
        }
        if (request.stream() && request.operation() != Operation.RESPONSES) {
            // the gateway always learns a stream's usage (the Responses API's last event carries it unasked); the chat layer hides it from clients that did not ask
            JsonObject options = Json.object(request.body(), "stream_options").orElse(JsonObject.EMPTY_JSON_OBJECT);
            body.add("stream_options", Json.object(options).add("include_usage", true));
        }
        HttpPost upstream = http.post(endpoint.apply(request.operation(), request.model()), Json.toBytes(body.build()));
        if (http.settings().apiKey().isPresent()) {
            upstream.setHeader(keyHeader, keyPrefix + http.settings().apiKey().reveal());
        }
        return upstream;
    }
}
