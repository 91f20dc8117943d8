package dev.llmgateway.telemetry;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.events.AttemptEnded;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.Outcome;
import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.inference.FunctionStep;
import dev.llmgateway.inference.InProcessChain;
import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.InferenceService;
import dev.llmgateway.inference.ModelStep;
import dev.llmgateway.inference.ProviderStep;
import dev.llmgateway.inference.VariantStep;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.Provider;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderException.Reason;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.testing.RecordedEvents;
import dev.llmgateway.testing.SettingsFrom;
import dev.llmgateway.testing.SpansInMemory;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.interceptor.InvocationContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The chain function → variant → model → provider attempts run in process over fake providers, through the real span
 * interceptors into a real SDK: the order of fallback and retries, where it stops, what each step announces, and the
 * span tree.
 */
class InferenceChainTest {

    private static final String HI = "{\"model\":\"%s\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}";

    private final SpansInMemory memory = new SpansInMemory();
    private final SdkTracerProvider tracing = memory.provider();
    private final List<SpanData> spans = memory.ended();
    private final RecordedEvents recorded = new RecordedEvents();
    /** Provider names in the order they were called. */
    private final List<String> calls = new CopyOnWriteArrayList<>();

    @AfterEach
    void close() {
        tracing.close();
    }

    @Test
    void fallsBackInRoutingOrderRetryingEachProviderAsConfiguredAndAnnouncesEveryAttempt() {
        InferenceService chain = chain(Map.of(
                "p-429", failing("p-429", Reason.RATE_LIMITED),
                "p-500", failing("p-500", Reason.SERVER_ERROR),
                "p-ok", answering("p-ok")));

        InferenceResult result = chain.infer(chat("resilient"), Optional.empty());

        assertThat(calls).containsExactly("p-429", "p-500", "p-500", "p-ok");
        assertThat(result.route().provider()).isEqualTo("p-ok");
        assertThat(result.route().model()).isEqualTo("resilient");
        assertThat(result.route().attempts()).isEqualTo(4);
        List<AttemptEnded> attempts = recorded.of(AttemptEnded.class);
        assertThat(attempts).extracting(AttemptEnded::provider).containsExactly("p-429", "p-500", "p-500", "p-ok");
        assertThat(attempts).extracting(AttemptEnded::attempt).containsExactly(1, 2, 3, 4);
        assertThat(attempts).extracting(AttemptEnded::outcomeLabel).containsExactly("rate_limited", "server_error", "server_error", "success");
        assertThat(attempts.get(3).usage().inputTokens()).isEqualTo(3);
        assertThat(attempts.get(3).responseModel()).isEqualTo("answered-by-p-ok");
        InferenceEnded inference = single(InferenceEnded.class);
        assertThat(inference.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(inference.provider()).isEqualTo("p-ok");
        assertThat(inference.attempts()).isEqualTo(4);
        assertThat(inference.fellBack()).isTrue();
        assertThat(inference.usage().outputTokens()).isEqualTo(2);
        assertThat(inference.inference().model()).isEqualTo("resilient");
        assertThat(inference.trace().isValid()).isTrue();

        SpanData model = span("model_inference resilient");
        List<SpanData> providerSpans = spans.stream().filter(s -> s.getKind() == SpanKind.CLIENT).toList();
        assertThat(providerSpans).hasSize(4).allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(model.getSpanId()));
        assertThat(providerSpans).extracting(s -> s.getAttributes().get(AttributeKey.longKey("gateway.attempt"))).containsExactlyInAnyOrder(1L, 2L, 3L, 4L);
        assertThat(model.getAttributes().get(AttributeKey.stringKey("gateway.provider"))).isEqualTo("p-ok");
        assertThat(model.getAttributes().get(AttributeKey.longKey("gateway.attempts"))).isEqualTo(4L);
        assertThat(inference.trace().getSpanId()).isEqualTo(model.getSpanId());
        assertThat(attempts.get(3).trace().getSpanId()).isEqualTo(providerSpans.stream()
                .filter(s -> s.getAttributes().get(AttributeKey.longKey("gateway.attempt")) == 4L).findFirst().orElseThrow().getSpanId());
    }

    @Test
    void aRefusalOfTheRequestItselfStopsTheInferenceWhereItIs() {
        InferenceService chain = chain(Map.of(
                "p-429", failing("p-429", Reason.REQUEST_REJECTED),
                "p-500", failing("p-500", Reason.SERVER_ERROR),
                "p-ok", answering("p-ok")));

        assertThatThrownBy(() -> chain.infer(chat("resilient"), Optional.empty())).isInstanceOf(InferenceFailedException.class);

        assertThat(calls).containsExactly("p-429");
        InferenceEnded inference = single(InferenceEnded.class);
        assertThat(inference.outcome()).isEqualTo(Outcome.ERROR);
        assertThat(inference.errorType()).isEqualTo("request_rejected");
        assertThat(inference.provider()).isEqualTo("p-429");
        assertThat(inference.attempts()).isEqualTo(1);
        assertThat(span("model_inference resilient").getStatus().getStatusCode()).isEqualTo(io.opentelemetry.api.trace.StatusCode.ERROR);
    }

    @Test
    void aProviderThatCannotServeIsSkippedWithoutRetryAndOneThatNeverOffersTheOperationIsNoChoice() {
        InferenceService chain = chain(Map.of(
                "p-429", failing("p-429", Reason.UNSUPPORTED),
                "p-500", failing("p-500", Reason.UNSUPPORTED),
                "p-ok", answering("p-ok")));

        chain.infer(chat("resilient"), Optional.empty());
        // unsupported once is unsupported again: p-500's retry is not spent
        assertThat(calls).containsExactly("p-429", "p-500", "p-ok");

        calls.clear();
        recorded.all().clear();
        InferenceResult embedded = chain.infer(new ClientRequest(Operation.EMBEDDINGS, "resilient",
                Json.parseObject("{\"model\":\"resilient\",\"input\":\"x\"}"), false, false), Optional.empty());
        // only p-ok offers embeddings: the model's routing for them starts there, so answering there is no fallback
        assertThat(calls).containsExactly("p-ok");
        assertThat(embedded.route().attempts()).isEqualTo(1);
        assertThat(single(InferenceEnded.class).fellBack()).isFalse();
    }

    @Test
    void aFunctionCallIsOneSpanTreeEachStepNamedAtItsStart() {
        InferenceService chain = chain(Map.of(
                "p-429", answering("p-429"), "p-500", answering("p-500"), "p-ok", answering("p-ok")));

        InferenceResult result = chain.infer(chat("function::summarize"), Optional.of("terse"));

        assertThat(result.route()).satisfies(route -> {
            assertThat(route.function()).isEqualTo("summarize");
            assertThat(route.variant()).isEqualTo("terse");
            assertThat(route.model()).isEqualTo("cheap");
            assertThat(route.provider()).isEqualTo("p-ok");
        });
        SpanData function = span("function_inference summarize");
        SpanData variant = span("variant_inference terse");
        SpanData model = span("model_inference cheap");
        SpanData attempt = span("chat cheap");
        assertThat(function.getParentSpanContext().isValid()).isFalse();
        assertThat(variant.getParentSpanId()).isEqualTo(function.getSpanId());
        assertThat(model.getParentSpanId()).isEqualTo(variant.getSpanId());
        assertThat(attempt.getParentSpanId()).isEqualTo(model.getSpanId());
        assertThat(function.getAttributes().get(AttributeKey.stringKey("gateway.variant"))).isEqualTo("terse");
        InferenceEnded inference = single(InferenceEnded.class);
        assertThat(inference.inference().function()).isEqualTo("summarize");
        assertThat(inference.inference().variant()).isEqualTo("terse");
        assertThat(single(AttemptEnded.class).inference()).isEqualTo(inference.inference());
    }

    @Test
    void aStreamAnnouncesItsEndHoweverItEnds() throws ProviderException {
        InferenceService chain = chain(Map.of(
                "p-429", failing("p-429", Reason.TIMEOUT), "p-500", answering("p-500"), "p-ok", answering("p-ok")));

        try (ChunkStream stream = chain.infer(chat("resilient", true), Optional.empty()).stream()) {
            assertThat(recorded.of(InferenceEnded.class)).as("not before the stream ends").isEmpty();
            int chunks = 0;
            while (stream.next() != null) {
                chunks++;
            }
            assertThat(chunks).isEqualTo(4);
        }
        InferenceEnded completed = single(InferenceEnded.class);
        assertThat(completed.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(completed.streamed()).isTrue();
        assertThat(completed.firstChunkNanos()).isNotNegative().isLessThanOrEqualTo(completed.durationNanos());
        assertThat(completed.usage().outputTokens()).isEqualTo(2);
        AttemptEnded streamed = recorded.of(AttemptEnded.class).get(1);
        assertThat(streamed.outcome()).isEqualTo(Outcome.SUCCESS);
        assertThat(streamed.chunkGaps().count()).as("gaps between the three chunks that carry output").isEqualTo(2);
        assertThat(span("model_inference resilient").getAttributes().get(AttributeKey.stringKey("gateway.stream.end"))).isEqualTo("complete");

        recorded.all().clear();
        try (ChunkStream stream = chain.infer(chat("resilient", true), Optional.empty()).stream()) {
            stream.next(); // the client reads one chunk and leaves
        }
        assertThat(single(InferenceEnded.class).outcome()).isEqualTo(Outcome.CANCELLED);
        assertThat(recorded.of(AttemptEnded.class)).last().satisfies(a -> {
            assertThat(a.outcome()).isEqualTo(Outcome.CANCELLED);
            assertThat(a.errorType()).isNull();
        });
    }

    // the chain

    private InferenceService chain(Map<String, Provider> providers) {
        Map<String, String> config = new HashMap<>();
        config.put("gateway.providers", "p-429,p-500,p-ok");
        for (String name : List.of("p-429", "p-500", "p-ok")) {
            config.put("gateway.provider." + name + ".type", "openai");
            config.put("gateway.provider." + name + ".base-url", "http://127.0.0.1:9/v1");
            config.put("gateway.provider." + name + ".api-key", "sk-" + name + "-not-used");
        }
        config.put("gateway.provider.p-500.retries", "1");
        config.put("gateway.provider.p-500.retry-backoff-ms", "1");
        config.put("gateway.models", "resilient,cheap");
        config.put("gateway.model.resilient.routing", "p-429,p-500,p-ok");
        config.put("gateway.model.cheap.routing", "p-ok");
        config.put("gateway.functions", "summarize");
        config.put("gateway.function.summarize.variants", "terse");
        config.put("gateway.function.summarize.variant.terse.model", "cheap");
        GatewaySettings settings = SettingsFrom.properties(config);
        Map<Class<?>, ChainSpanInterceptor<?>> interceptors = Map.of(
                FunctionStep.class, new FunctionSpanInterceptor(),
                VariantStep.class, new VariantSpanInterceptor(),
                ModelStep.class, modelSpans(settings),
                ProviderStep.class, providerSpans(settings));
        interceptors.values().forEach(interceptor -> interceptor.tracer = tracing.get("test"));
        return InProcessChain.build(settings, providers, recorded.events(),
                (step, proceed) -> interceptors.get(step.getClass()).trace(invocation(step, proceed)));
    }

    private static ProviderSpanInterceptor providerSpans(GatewaySettings settings) {
        ProviderSpanInterceptor interceptor = new ProviderSpanInterceptor();
        interceptor.contentCapture = new ContentCapture(settings.tracing());
        interceptor.pricing = new dev.llmgateway.pricing.Pricing(settings.prices());
        return interceptor;
    }

    private static ModelSpanInterceptor modelSpans(GatewaySettings settings) {
        ModelSpanInterceptor interceptor = new ModelSpanInterceptor();
        interceptor.pricing = new dev.llmgateway.pricing.Pricing(settings.prices());
        return interceptor;
    }

    /** The invocation an interceptor sees: the step its one parameter. */
    private static InvocationContext invocation(Object step, Callable<Object> proceed) {
        return (InvocationContext) Proxy.newProxyInstance(InferenceChainTest.class.getClassLoader(), new Class<?>[]{InvocationContext.class},
                (proxy, method, args) -> switch (method.getName()) {
                    case "getParameters" -> new Object[]{step};
                    case "proceed" -> proceed.call();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    // fake providers

    private Provider failing(String name, Reason reason) {
        return provider(name, request -> {
            throw new ProviderException(name, reason, reason + " from " + name, null);
        });
    }

    private Provider answering(String name) {
        return provider(name, request -> Completion.of(Json.parseObject("{\"id\":\"chatcmpl-1\",\"model\":\"answered-by-" + name + "\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hello\"},\"finish_reason\":\"stop\"}],"
                + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}")));
    }

    @FunctionalInterface
    private interface Answer {
        Completion answer(ProviderRequest request) throws ProviderException;
    }

    private Provider provider(String name, Answer answer) {
        return new Provider() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean serves(Operation operation) {
                return operation == Operation.CHAT || name.equals("p-ok");
            }

            @Override
            public Completion complete(ProviderRequest request) throws ProviderException {
                calls.add(name);
                return answer.answer(request);
            }

            @Override
            public ChunkStream stream(ProviderRequest request) throws ProviderException {
                calls.add(name);
                answer.answer(request); // fails as a whole answer would
                List<Chunk> chunks = new ArrayList<>(List.of(
                        chunk("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"he\"}}]}"),
                        chunk("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"l\"}}]}"),
                        chunk("{\"id\":\"c\",\"model\":\"m\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"lo\"},\"finish_reason\":\"stop\"}]}"),
                        chunk("{\"id\":\"c\",\"model\":\"m\",\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}")));
                return new ChunkStream() {
                    @Override
                    public Chunk next() {
                        return chunks.isEmpty() ? null : chunks.remove(0);
                    }

                    @Override
                    public void close() {
                    }
                };
            }
        };
    }

    private static Chunk chunk(String json) {
        return Chunk.of(Json.parseObject(json));
    }

    private static ClientRequest chat(String model) {
        return chat(model, false);
    }

    private static ClientRequest chat(String model, boolean stream) {
        return new ClientRequest(model, Json.parseObject(HI.formatted(model, stream ? ",\"stream\":true" : "")), stream, false);
    }

    private SpanData span(String name) {
        return spans.stream().filter(s -> s.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no span " + name + " in " + spans.stream().map(SpanData::getName).toList()));
    }

    private <E> E single(Class<E> type) {
        List<E> found = recorded.all().stream().filter(type::isInstance).map(type::cast).toList();
        assertThat(found).as(type.getSimpleName()).hasSize(1);
        return found.get(0);
    }
}
