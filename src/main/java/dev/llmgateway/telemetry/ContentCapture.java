package dev.llmgateway.telemetry;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.TracingSettings;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.MessageContent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.List;

/**
 * Prompts and completions in the GenAI conventions' message format ({@code gen_ai.input.messages},
 * {@code gen_ai.system_instructions}, {@code gen_ai.output.messages}), for operators who opt in. Each text
 * is cut at the configured length.
 */
@ApplicationScoped
public class ContentCapture {

    private int maxChars;
    private boolean enabled;

    protected ContentCapture() {
        // for CDI's proxy
    }

    @Inject
    ContentCapture(GatewaySettings settings) {
        this(settings.tracing());
    }

    ContentCapture(TracingSettings settings) {
        this.maxChars = settings.maxContentChars();
        this.enabled = settings.captureContent();
    }

    /** This, when operators opted in to prompts and completions on spans; else null. */
    ContentCapture ifEnabled() {
        return enabled ? this : null;
    }

    /** System and developer messages: the instructions. */
    String systemInstructions(JsonObject request) {
        JsonArrayBuilder parts = Json.array();
        boolean any = false;
        for (JsonValue value : messages(request)) {
            JsonObject message = value.asJsonObject();
            String role = Json.string(message, "role").orElse("");
            if (role.equals("system") || role.equals("developer")) {
                textParts(message.get("content"), parts);
                any = true;
            }
        }
        return any ? Json.toText(parts.build()) : null;
    }

    /** The conversation without the instructions. */
    String inputMessages(JsonObject request) {
        JsonArrayBuilder out = Json.array();
        for (JsonValue value : messages(request)) {
            JsonObject message = value.asJsonObject();
            String role = Json.string(message, "role").orElse("");
            if (role.equals("system") || role.equals("developer")) {
                continue;
            }
            JsonArrayBuilder parts = Json.array();
            textParts(message.get("content"), parts);
            for (JsonValue call : Json.array(message, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
                JsonObject function = Json.object(call.asJsonObject(), "function").orElse(JsonValue.EMPTY_JSON_OBJECT);
                parts.add(Json.object().add("type", "tool_call").add("id", Json.string(call.asJsonObject(), "id").orElse(""))
                        .add("name", Json.string(function, "name").orElse("")).add("arguments", cut(Json.string(function, "arguments").orElse(""))));
            }
            JsonObjectBuilder entry = Json.object().add("role", role).add("parts", parts);
            if (role.equals("tool")) {
                entry = Json.object().add("role", role).add("parts", Json.array().add(Json.object().add("type", "tool_call_response")
                        .add("id", Json.string(message, "tool_call_id").orElse("")).add("response", cut(MessageContent.text(message.get("content"))))));
            }
            out.add(entry);
        }
        return Json.toText(out.build());
    }

    /** One assistant message per choice of a whole completion. */
    String outputMessages(JsonObject completion) {
        JsonArrayBuilder out = Json.array();
        for (JsonValue value : Json.array(completion, "choices").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            JsonObject choice = value.asJsonObject();
            JsonObject message = Json.object(choice, "message").orElse(JsonValue.EMPTY_JSON_OBJECT);
            out.add(output(MessageContent.text(message.get("content")), Json.string(choice, "finish_reason").orElse("")));
        }
        return Json.toText(out.build());
    }

    /** The assistant message a stream spelt out, for its first choice. */
    String outputMessages(CharSequence streamedText, List<String> finishReasons) {
        JsonObjectBuilder message = output(streamedText.toString(), finishReasons.isEmpty() ? "" : finishReasons.get(0));
        return Json.toText(Json.array().add(message).build());
    }

    int maxChars() {
        return maxChars;
    }

    private JsonObjectBuilder output(String text, String finishReason) {
        return Json.object().add("role", "assistant")
                .add("parts", Json.array().add(Json.object().add("type", "text").add("content", cut(text))))
                .add("finish_reason", finishReason);
    }

    private void textParts(JsonValue content, JsonArrayBuilder parts) {
        if (content instanceof JsonString s) {
            parts.add(Json.object().add("type", "text").add("content", cut(s.getString())));
        } else if (content instanceof JsonArray list) {
            for (JsonValue value : list) {
                JsonObject part = value instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
                String type = Json.string(part, "type").orElse("");
                if (type.equals("text")) {
                    parts.add(Json.object().add("type", "text").add("content", cut(Json.string(part, "text").orElse(""))));
                } else {
                    // images and audio stay off spans: they are large, and data URLs would be copied whole
                    parts.add(Json.object().add("type", type));
                }
            }
        }
    }


    private String cut(String text) {
        return text.length() <= maxChars ? text : text.substring(0, maxChars) + "…";
    }

    private static JsonArray messages(JsonObject request) {
        return Json.array(request, "messages").orElse(JsonValue.EMPTY_JSON_ARRAY);
    }
}
