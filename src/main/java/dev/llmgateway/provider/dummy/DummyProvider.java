package dev.llmgateway.provider.dummy;

import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.ChatChunks;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.UpstreamFailures;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A provider without a network: answers deterministically (see {@link DummyReply}), streams word by word,
 * and simulates latency, timeouts and error statuses from its settings. The gateway's zero-configuration default.
 */
public final class DummyProvider implements Provider {

    private final ProviderSettings settings;

    public DummyProvider(ProviderSettings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public boolean serves(Operation operation) {
        return operation != Operation.RESPONSES && operation != Operation.MESSAGES; // answered over chat
    }

    @Override
    public Completion complete(ProviderRequest request) throws ProviderException {
        failIfConfigured();
        waitForFirstByte();
        return switch (request.operation()) {
            case CHAT -> chat(request);
            case EMBEDDINGS -> embeddings(request);
            case TEXT_COMPLETION -> textCompletion(request);
            case RESPONSES, MESSAGES -> throw new IllegalStateException(request.operation() + " reaches the dummy as chat");
        };
    }

    private Completion embeddings(ProviderRequest request) throws ProviderException {
        int dimensions = settings.dummy().embeddingDimensions();
        if (DummyEmbeddings.values(request.body(), dimensions) > DummyEmbeddings.MAX_VALUES) {
            // as an upstream refuses a batch too large: a 400 the client sees, never an answer that fills the heap
            throw UpstreamFailures.status(name(), 400, null, ("{\"error\":{\"message\":\"The dummy provider answers at most "
                    + DummyEmbeddings.MAX_VALUES + " values (inputs times dimensions) per request\",\"type\":\"invalid_request_error\","
                    + "\"param\":\"input\"}}").getBytes(StandardCharsets.UTF_8));
        }
        return Completion.parse(DummyEmbeddings.answer(request.body(), request.model(), dimensions).getBytes(StandardCharsets.UTF_8));
    }

    private static Completion textCompletion(ProviderRequest request) {
        DummyReply reply = DummyReply.toPrompt(request.body());
        JsonObject choice = Json.object().add("text", reply.text()).add("index", 0).addNull("logprobs")
                .add("finish_reason", reply.finishReason()).build();
        return Completion.of(envelope("text_completion", request).add("choices", Json.array().add(choice)).add("usage", usage(reply)).build());
    }

    private static Completion chat(ProviderRequest request) {
        DummyReply reply = DummyReply.to(request.body());
        JsonObjectBuilder built = Json.object().add("role", "assistant");
        if (reply.toolCall() == null) {
            built.add("content", reply.text());
        } else {
            built.addNull("content").add("tool_calls", Json.array().add(Json.object().add("id", callId()).add("type", "function")
                    .add("function", Json.object().add("name", reply.toolCall().name()).add("arguments", reply.toolCall().arguments()))));
        }
        JsonObject message = built.build();
        JsonObject choice = Json.object().add("index", 0).add("message", message)
                .add("finish_reason", reply.finishReason()).build();
        return Completion.of(envelope("chat.completion", request)
                .add("choices", Json.array().add(choice))
                .add("usage", usage(reply))
                .build());
    }

    @Override
    public ChunkStream stream(ProviderRequest request) throws ProviderException {
        failIfConfigured();
        boolean text = request.operation() == Operation.TEXT_COMPLETION;
        return new DummyChunkStream(request, text ? DummyReply.toPrompt(request.body()) : DummyReply.to(request.body()));
    }

    private void failIfConfigured() throws ProviderException {
        int status = settings.dummy().errorStatus();
        if (status != 0) {
            String retryAfter = status == 429 ? "1" : null;
            byte[] body = "{\"error\":{\"message\":\"simulated failure\"}}".getBytes(StandardCharsets.UTF_8);
            throw UpstreamFailures.status(name(), status, retryAfter, body);
        }
    }

    private void waitForFirstByte() throws ProviderException {
        Duration latency = settings.dummy().latency();
        Duration limit = settings.timeouts().firstByte();
        if (latency.compareTo(limit) >= 0) {
            pause(limit);
            throw new ProviderException(name(), ProviderException.Reason.TIMEOUT,
                    "provider '" + name() + "' sent nothing within " + limit.toMillis() + " ms", null);
        }
        pause(latency);
    }

    private void pause(Duration duration) throws ProviderException {
        if (duration.isZero()) {
            return;
        }
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProviderException(name(), ProviderException.Reason.CONNECTION, "provider '" + name() + "' was interrupted", e);
        }
    }

    private static String callId() {
        return "call_" + Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    /** Random enough to be unique, without UUID.randomUUID()'s lock on the shared SecureRandom. */
    private static String completionId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return "chatcmpl-" + Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }

    private static JsonObjectBuilder envelope(String object, ProviderRequest request) {
        return Json.object()
                .add("id", completionId())
                .add("object", object)
                .add("created", System.currentTimeMillis() / 1000)
                .add("model", request.model());
    }

    private static JsonObject usage(DummyReply reply) {
        return Json.object()
                .add("prompt_tokens", reply.inputTokens())
                .add("completion_tokens", reply.outputTokens())
                .add("total_tokens", reply.inputTokens() + reply.outputTokens())
                .build();
    }

    /** Role, one chunk per word, the finish reason, then usage: the order OpenAI streams in. */
    private final class DummyChunkStream implements ChunkStream {

        private final DummyReply reply;
        private final ChatChunks chunks;
        private int step;
        private volatile boolean closed;

        DummyChunkStream(ProviderRequest request, DummyReply reply) {
            this.reply = reply;
            this.chunks = new ChatChunks(completionId(), System.currentTimeMillis() / 1000, request.model(),
                    request.operation() == Operation.TEXT_COMPLETION);
        }

        @Override
        public Chunk next() throws ProviderException {
            if (closed) {
                return null;
            }
            int words = reply.words().size();
            int current = step++;
            if (current == 0) {
                waitForFirstByte();
                return chunks.choice(Json.object().add("role", "assistant").add("content", ""), null);
            }
            if (reply.toolCall() != null && current <= 2) {
                // the call named first, then its arguments, as OpenAI streams a tool call
                JsonObjectBuilder call = Json.object().add("index", 0);
                if (current == 1) {
                    call.add("id", callId()).add("type", "function").add("function", Json.object().add("name", reply.toolCall().name()).add("arguments", ""));
                } else {
                    call.add("function", Json.object().add("arguments", reply.toolCall().arguments()));
                }
                return chunks.choice(Json.object().add("tool_calls", Json.array().add(call)), null);
            }
            if (reply.toolCall() != null) {
                current -= 2;
            }
            if (current <= words) {
                if (current > 1) {
                    pause(settings.dummy().chunkDelay());
                }
                String word = reply.words().get(current - 1);
                return chunks.choice(Json.object().add("content", current < words ? word + " " : word), null);
            }
            if (current == words + 1) {
                return chunks.choice(Json.object(), reply.finishReason());
            }
            if (current == words + 2) {
                return chunks.usage(usage(reply));
            }
            return null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }
}
