package dev.llmgateway.telemetry;

import io.opentelemetry.api.common.AttributeKey;

import java.util.List;

/**
 * Every attribute the gateway puts on a span, in one place. GenAI keys follow the OpenTelemetry GenAI semantic
 * conventions (gen_ai.provider.name, not the deprecated gen_ai.system); the gateway's own live under gateway.*.
 * Low-cardinality keys take values from configuration or small fixed sets and may become metric labels;
 * high-cardinality keys never may.
 */
public final class SpanAttributes {

    private SpanAttributes() {
    }

    /** Values from bounded sets: safe as metric labels. */
    public static final class LowCardinality {
        public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
        public static final AttributeKey<String> PROVIDER_NAME = AttributeKey.stringKey("gen_ai.provider.name");
        public static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
        public static final AttributeKey<Boolean> REQUEST_STREAM = AttributeKey.booleanKey("gen_ai.request.stream");
        public static final AttributeKey<String> SERVER_ADDRESS = AttributeKey.stringKey("server.address");
        public static final AttributeKey<Long> SERVER_PORT = AttributeKey.longKey("server.port");
        public static final AttributeKey<Long> HTTP_STATUS = AttributeKey.longKey("http.response.status_code");
        public static final AttributeKey<String> ERROR_TYPE = AttributeKey.stringKey("error.type");
        public static final AttributeKey<String> FUNCTION = AttributeKey.stringKey("gateway.function");
        public static final AttributeKey<String> VARIANT = AttributeKey.stringKey("gateway.variant");
        public static final AttributeKey<String> MODEL = AttributeKey.stringKey("gateway.model");
        public static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("gateway.provider");
        /** The name of the gateway key the client presented, never the key. */
        public static final AttributeKey<String> API_KEY = AttributeKey.stringKey("gateway.api_key");
        /** The team of a virtual key. */
        public static final AttributeKey<String> API_KEY_TEAM = AttributeKey.stringKey("gateway.api_key.team");
        /** The limit or check of a virtual key that refused the request, on its server span. */
        public static final AttributeKey<String> LIMIT_REFUSED = AttributeKey.stringKey("gateway.limit.refused");

        private LowCardinality() {
        }
    }

    /** Values that vary per request: spans only, never metric labels. */
    public static final class HighCardinality {
        public static final AttributeKey<Double> TEMPERATURE = AttributeKey.doubleKey("gen_ai.request.temperature");
        public static final AttributeKey<Double> TOP_P = AttributeKey.doubleKey("gen_ai.request.top_p");
        public static final AttributeKey<Long> MAX_TOKENS = AttributeKey.longKey("gen_ai.request.max_tokens");
        public static final AttributeKey<Long> SEED = AttributeKey.longKey("gen_ai.request.seed");
        public static final AttributeKey<Double> FREQUENCY_PENALTY = AttributeKey.doubleKey("gen_ai.request.frequency_penalty");
        public static final AttributeKey<Double> PRESENCE_PENALTY = AttributeKey.doubleKey("gen_ai.request.presence_penalty");
        public static final AttributeKey<Long> CHOICE_COUNT = AttributeKey.longKey("gen_ai.request.choice.count");
        public static final AttributeKey<Long> EMBEDDING_DIMENSIONS = AttributeKey.longKey("gen_ai.embeddings.dimension.count");
        public static final AttributeKey<List<String>> ENCODING_FORMATS = AttributeKey.stringArrayKey("gen_ai.request.encoding_formats");
        public static final AttributeKey<List<String>> STOP_SEQUENCES = AttributeKey.stringArrayKey("gen_ai.request.stop_sequences");
        public static final AttributeKey<String> RESPONSE_ID = AttributeKey.stringKey("gen_ai.response.id");
        public static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
        public static final AttributeKey<List<String>> FINISH_REASONS = AttributeKey.stringArrayKey("gen_ai.response.finish_reasons");
        public static final AttributeKey<Double> TIME_TO_FIRST_CHUNK = AttributeKey.doubleKey("gen_ai.response.time_to_first_chunk");
        public static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
        public static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
        public static final AttributeKey<Long> CACHED_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
        public static final AttributeKey<Long> CACHE_WRITE_INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_creation.input_tokens");
        public static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
        /** What the usage cost with the configured price table; absent where unknown. */
        public static final AttributeKey<Double> COST = AttributeKey.doubleKey("gateway.usage.cost");
        public static final AttributeKey<String> COST_CURRENCY = AttributeKey.stringKey("gateway.usage.cost.currency");
        public static final AttributeKey<String> INFERENCE_ID = AttributeKey.stringKey("gateway.inference_id");
        public static final AttributeKey<String> CONVERSATION_ID = AttributeKey.stringKey("gen_ai.conversation.id");
        public static final AttributeKey<List<String>> DROPPED_FIELDS = AttributeKey.stringArrayKey("gateway.request.dropped_fields");
        public static final AttributeKey<Long> ATTEMPT = AttributeKey.longKey("gateway.attempt");
        public static final AttributeKey<Long> ATTEMPTS = AttributeKey.longKey("gateway.attempts");
        public static final AttributeKey<String> STREAM_END = AttributeKey.stringKey("gateway.stream.end");
        /** Content, only when gateway.tracing.capture-content is on. */
        public static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
        public static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
        public static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");

        private HighCardinality() {
        }
    }
}
