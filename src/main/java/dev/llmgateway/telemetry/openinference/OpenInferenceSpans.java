package dev.llmgateway.telemetry.openinference;

import dev.llmgateway.json.Json;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.trace.data.SpanData;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonValue;

import java.util.List;
import java.util.Map;

/**
 * A span's attributes in the OpenInference conventions (Arize Phoenix and similar backends): provider attempts
 * become {@code LLM} spans ({@code EMBEDDING} for embeddings) with {@code llm.*} attributes, the chain's other
 * spans and the request's own become {@code CHAIN}. Read from the GenAI attributes the gateway already set.
 */
final class OpenInferenceSpans {

    static final AttributeKey<String> SPAN_KIND = AttributeKey.stringKey("openinference.span.kind");
    static final AttributeKey<String> MODEL_NAME = AttributeKey.stringKey("llm.model_name");
    static final AttributeKey<String> EMBEDDING_MODEL_NAME = AttributeKey.stringKey("embedding.model_name");
    static final AttributeKey<String> PROVIDER = AttributeKey.stringKey("llm.provider");
    static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("llm.system");
    static final AttributeKey<String> INVOCATION_PARAMETERS = AttributeKey.stringKey("llm.invocation_parameters");
    static final AttributeKey<String> EMBEDDING_INVOCATION_PARAMETERS = AttributeKey.stringKey("embedding.invocation_parameters");
    static final AttributeKey<Long> PROMPT_TOKENS = AttributeKey.longKey("llm.token_count.prompt");
    static final AttributeKey<Long> COMPLETION_TOKENS = AttributeKey.longKey("llm.token_count.completion");
    static final AttributeKey<Long> TOTAL_TOKENS = AttributeKey.longKey("llm.token_count.total");
    static final AttributeKey<Long> CACHE_READ_TOKENS = AttributeKey.longKey("llm.token_count.prompt_details.cache_read");
    static final AttributeKey<Long> REASONING_TOKENS = AttributeKey.longKey("llm.token_count.completion_details.reasoning");
    static final AttributeKey<String> INPUT_VALUE = AttributeKey.stringKey("input.value");
    static final AttributeKey<String> INPUT_MIME_TYPE = AttributeKey.stringKey("input.mime_type");
    static final AttributeKey<String> OUTPUT_VALUE = AttributeKey.stringKey("output.value");
    static final AttributeKey<String> OUTPUT_MIME_TYPE = AttributeKey.stringKey("output.mime_type");

    private static final AttributeKey<String> OPERATION = AttributeKey.stringKey("gen_ai.operation.name");
    private static final AttributeKey<String> GEN_AI_PROVIDER = AttributeKey.stringKey("gen_ai.provider.name");
    private static final AttributeKey<String> REQUEST_MODEL = AttributeKey.stringKey("gen_ai.request.model");
    private static final AttributeKey<String> RESPONSE_MODEL = AttributeKey.stringKey("gen_ai.response.model");
    private static final AttributeKey<Long> INPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.input_tokens");
    private static final AttributeKey<Long> OUTPUT_TOKENS = AttributeKey.longKey("gen_ai.usage.output_tokens");
    private static final AttributeKey<Long> CACHED_TOKENS = AttributeKey.longKey("gen_ai.usage.cache_read.input_tokens");
    private static final AttributeKey<Long> REASONING = AttributeKey.longKey("gen_ai.usage.reasoning.output_tokens");
    private static final AttributeKey<String> INPUT_MESSAGES = AttributeKey.stringKey("gen_ai.input.messages");
    private static final AttributeKey<String> SYSTEM_INSTRUCTIONS = AttributeKey.stringKey("gen_ai.system_instructions");
    private static final AttributeKey<String> OUTPUT_MESSAGES = AttributeKey.stringKey("gen_ai.output.messages");

    /** gen_ai.request.* → the name OpenAI's API gives the parameter, as llm.invocation_parameters holds them. */
    private static final Map<String, String> PARAMETERS = Map.of(
            "gen_ai.request.temperature", "temperature", "gen_ai.request.top_p", "top_p", "gen_ai.request.max_tokens", "max_tokens",
            "gen_ai.request.seed", "seed", "gen_ai.request.frequency_penalty", "frequency_penalty",
            "gen_ai.request.presence_penalty", "presence_penalty", "gen_ai.request.choice.count", "n",
            "gen_ai.request.stream", "stream", "gen_ai.request.stop_sequences", "stop",
            "gen_ai.embeddings.dimension.count", "dimensions");

    private static final List<String> CHAIN_SPANS = List.of("function_inference ", "variant_inference ", "model_inference ");

    private OpenInferenceSpans() {
    }

    /** The span's attributes as OpenInference names them, or the same attributes when it is none of the gateway's. */
    static Attributes of(SpanData span, boolean keepGenAi) {
        Attributes own = span.getAttributes();
        String operation = own.get(OPERATION);
        AttributesBuilder mapped = Attributes.builder();
        if (operation != null && span.getKind() == SpanKind.CLIENT) {
            llm(own, operation, mapped);
        } else if (span.getKind() == SpanKind.SERVER || CHAIN_SPANS.stream().anyMatch(span.getName()::startsWith)) {
            mapped.put(SPAN_KIND, "CHAIN");
        } else {
            return own;
        }
        own.forEach((key, value) -> {
            if (keepGenAi || !key.getKey().startsWith("gen_ai.")) {
                putRaw(mapped, key, value);
            }
        });
        return mapped.build();
    }

    private static void llm(Attributes own, String operation, AttributesBuilder mapped) {
        String model = own.get(RESPONSE_MODEL) != null ? own.get(RESPONSE_MODEL) : own.get(REQUEST_MODEL);
        boolean embeddings = operation.equals("embeddings");
        mapped.put(SPAN_KIND, embeddings ? "EMBEDDING" : "LLM");
        if (model != null) {
            mapped.put(embeddings ? EMBEDDING_MODEL_NAME : MODEL_NAME, model);
        }
        String provider = own.get(GEN_AI_PROVIDER);
        if (provider != null) {
            // OpenInference names Azure's service as a provider of OpenAI's system
            mapped.put(PROVIDER, provider.equals("azure.ai.openai") ? "azure" : provider);
            mapped.put(SYSTEM, provider.equals("azure.ai.openai") ? "openai" : provider);
        }
        mapped.put(embeddings ? EMBEDDING_INVOCATION_PARAMETERS : INVOCATION_PARAMETERS, invocationParameters(own));
        Long input = own.get(INPUT_TOKENS);
        Long output = own.get(OUTPUT_TOKENS);
        if (input != null) {
            mapped.put(PROMPT_TOKENS, input);
        }
        if (output != null) {
            mapped.put(COMPLETION_TOKENS, output);
        }
        if (input != null || output != null) {
            mapped.put(TOTAL_TOKENS, (input == null ? 0 : input) + (output == null ? 0 : output));
        }
        if (own.get(CACHED_TOKENS) != null) {
            mapped.put(CACHE_READ_TOKENS, own.get(CACHED_TOKENS));
        }
        if (own.get(REASONING) != null) {
            mapped.put(REASONING_TOKENS, own.get(REASONING));
        }
        messages(own.get(SYSTEM_INSTRUCTIONS), own.get(INPUT_MESSAGES), "llm.input_messages.", mapped);
        messages(null, own.get(OUTPUT_MESSAGES), "llm.output_messages.", mapped);
        if (own.get(INPUT_MESSAGES) != null) {
            mapped.put(INPUT_VALUE, own.get(INPUT_MESSAGES)).put(INPUT_MIME_TYPE, "application/json");
        }
        if (own.get(OUTPUT_MESSAGES) != null) {
            mapped.put(OUTPUT_VALUE, own.get(OUTPUT_MESSAGES)).put(OUTPUT_MIME_TYPE, "application/json");
        }
    }

    private static String invocationParameters(Attributes own) {
        JsonObjectBuilder parameters = Json.object();
        own.forEach((key, value) -> {
            String name = PARAMETERS.get(key.getKey());
            if (name == null) {
                return;
            }
            if (value instanceof List<?> list) {
                var array = Json.array();
                list.forEach(item -> array.add(String.valueOf(item)));
                parameters.add(name, array);
            } else if (value instanceof Boolean b) {
                parameters.add(name, b);
            } else if (value instanceof Long l) {
                parameters.add(name, l);
            } else if (value instanceof Double d) {
                if (Double.isFinite(d)) {
                    parameters.add(name, d); // a client's 1e309 is Infinity on the span, and no JSON number
                }
            } else {
                parameters.add(name, String.valueOf(value));
            }
        });
        return Json.toText(parameters.build());
    }

    /**
     * The conventions' captured messages ({@code [{"role","parts":[{"type":"text","content"}]}]}) flattened as
     * OpenInference wants them: {@code <prefix><i>.message.role} and {@code .message.content}, text parts joined.
     */
    static final int MAX_TOOL_CALLS = 32;

    private static void messages(String systemInstructions, String messages, String prefix, AttributesBuilder mapped) {
        int index = 0;
        if (systemInstructions != null) {
            mapped.put(prefix + index + ".message.role", "system");
            mapped.put(prefix + index + ".message.content", text(parse(systemInstructions)));
            index++;
        }
        if (messages == null) {
            return;
        }
        for (JsonValue value : parse(messages)) {
            if (value instanceof JsonObject message) {
                String at = prefix + index + ".message.";
                JsonArray parts = Json.array(message, "parts").orElse(JsonValue.EMPTY_JSON_ARRAY);
                mapped.put(at + "role", Json.string(message, "role").orElse(""));
                mapped.put(at + "content", text(parts));
                toolParts(parts, at, mapped);
                index++;
            }
        }
    }

    /**
     * A message's tool calls as {@code message.tool_calls.<j>.tool_call.*}, the first {@value #MAX_TOOL_CALLS} of them
     * (all stay in {@code input.value} / {@code output.value}); a tool's answer as its content and {@code message.tool_call_id}.
     */
    private static void toolParts(JsonArray parts, String at, AttributesBuilder mapped) {
        int call = 0;
        for (JsonValue value : parts) {
            if (!(value instanceof JsonObject part)) {
                continue;
            }
            String type = Json.string(part, "type").orElse("");
            if (type.equals("tool_call") && call < MAX_TOOL_CALLS) {
                String toolCall = at + "tool_calls." + call++ + ".tool_call.";
                mapped.put(toolCall + "id", Json.string(part, "id").orElse(""));
                mapped.put(toolCall + "function.name", Json.string(part, "name").orElse(""));
                mapped.put(toolCall + "function.arguments", Json.string(part, "arguments").orElse(""));
            } else if (type.equals("tool_call_response")) {
                mapped.put(at + "tool_call_id", Json.string(part, "id").orElse(""));
                mapped.put(at + "content", Json.string(part, "response").orElse(""));
            }
        }
    }

    /** The captured values are whole JSON the gateway wrote; a value the SDK cut to its length limit reads as nothing. */
    private static JsonArray parse(String json) {
        try {
            return Json.parseArray(json);
        } catch (RuntimeException cut) {
            return JsonValue.EMPTY_JSON_ARRAY;
        }
    }

    private static String text(JsonArray parts) {
        StringBuilder text = new StringBuilder();
        for (JsonValue value : parts) {
            if (value instanceof JsonObject part && "text".equals(Json.string(part, "type").orElse(""))) {
                text.append(Json.string(part, "content").orElse(""));
            }
        }
        return text.toString();
    }

    @SuppressWarnings("unchecked")
    private static void putRaw(AttributesBuilder builder, AttributeKey<?> key, Object value) {
        builder.put((AttributeKey<Object>) key, value);
    }
}
