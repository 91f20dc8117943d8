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

import java.util.ArrayList;
import java.util.List;

/**
 * Prompts and completions in the GenAI conventions' message format ({@code gen_ai.input.messages},
 * {@code gen_ai.system_instructions}, {@code gen_ai.output.messages}), for operators who opt in. Each text
 * is cut at the configured length, and each attribute stays within the span attribute length limit as whole JSON.
 */
@ApplicationScoped
public class ContentCapture {

    /** JSON around a tool's answer ({@code {"type":"tool_call_response","id":"","response":""}}), beyond its values. */
    private static final int TOOL_RESPONSE_PART = 52;
    /** JSON around an assistant message and its text part, beyond its values. */
    private static final int OUTPUT_MESSAGE = 80;

    private int maxChars;
    private int maxAttributeChars;
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
        this.maxAttributeChars = settings.maxAttributeChars();
        this.enabled = settings.captureContent();
    }

    /** This, when operators opted in to prompts and completions on spans; else null. */
    ContentCapture ifEnabled() {
        return enabled ? this : null;
    }

    /** System and developer messages: the instructions. */
    String systemInstructions(JsonObject request) {
        Budget budget = new Budget();
        JsonArrayBuilder parts = Json.array();
        boolean any = false;
        for (JsonObject message : messages(request)) {
            String role = Json.string(message, "role").orElse("");
            if (role.equals("system") || role.equals("developer")) {
                textParts(message.get("content"), parts, budget);
                any = true;
            }
        }
        return any ? within(Json.toText(parts.build())) : null;
    }

    /** The conversation without the instructions; messages past the attribute's length are left out, and counted. */
    String inputMessages(JsonObject request) {
        Budget budget = new Budget();
        JsonArrayBuilder out = Json.array();
        int omitted = 0;
        for (JsonObject message : messages(request)) {
            String role = Json.string(message, "role").orElse("");
            if (role.equals("system") || role.equals("developer")) {
                continue;
            }
            boolean tool = role.equals("tool");
            if (!budget.spend(Budget.escaped(role) + 24 + (tool ? TOOL_RESPONSE_PART : 0))) {
                omitted++;
                continue;
            }
            if (tool) {
                out.add(Json.object().add("role", role).add("parts", Json.array().add(Json.object().add("type", "tool_call_response")
                        .add("id", budget.cut(Json.string(message, "tool_call_id").orElse(""))).add("response", budget.cut(MessageContent.text(message.get("content")))))));
                continue;
            }
            JsonArrayBuilder parts = Json.array();
            textParts(message.get("content"), parts, budget);
            toolCallParts(message, parts, budget);
            out.add(Json.object().add("role", role).add("parts", parts));
        }
        if (omitted > 0) {
            out.add(Json.object().add("role", "gateway").add("parts", Json.array().add(Json.object().add("type", "text")
                    .add("content", omitted + " more messages left out: the attribute reached its length limit"))));
        }
        return within(Json.toText(out.build()));
    }

    /** One assistant message per choice of a whole completion. */
    String outputMessages(JsonObject completion) {
        Budget budget = new Budget();
        JsonArrayBuilder out = Json.array();
        for (JsonValue value : Json.array(completion, "choices").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            JsonObject choice = value instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
            JsonObject message = Json.object(choice, "message").orElse(JsonValue.EMPTY_JSON_OBJECT);
            if (budget.spend(OUTPUT_MESSAGE)) {
                out.add(output(MessageContent.text(message.get("content")), message, Json.string(choice, "finish_reason").orElse(""), budget));
            }
        }
        return within(Json.toText(out.build()));
    }

    /** The assistant message a stream spelt out, for its first choice. */
    String outputMessages(CharSequence streamedText, List<String> finishReasons) {
        Budget budget = new Budget();
        budget.spend(OUTPUT_MESSAGE);
        JsonObjectBuilder message = output(streamedText.toString(), JsonValue.EMPTY_JSON_OBJECT, finishReasons.isEmpty() ? "" : finishReasons.get(0), budget);
        return within(Json.toText(Json.array().add(message).build()));
    }

    int maxChars() {
        return maxChars;
    }

    /** An assistant message: its text, then its tool calls. */
    private JsonObjectBuilder output(String text, JsonObject message, String finishReason, Budget budget) {
        JsonArrayBuilder parts = Json.array().add(Json.object().add("type", "text").add("content", budget.cut(text)));
        toolCallParts(message, parts, budget);
        return Json.object().add("role", "assistant").add("parts", parts).add("finish_reason", budget.cut(finishReason));
    }

    /**
     * The JSON as built, or, should the estimates have fallen short, a note in its place: a value the SDK cut to
     * the length limit would no longer be JSON, and every reader of it would lose all its messages.
     */
    private String within(String json) {
        if (json.length() <= maxAttributeChars) {
            return json;
        }
        String note = "[{\"role\":\"gateway\",\"parts\":[{\"type\":\"text\",\"content\":\"left out: longer than the attribute length limit\"}]}]";
        return note.length() <= maxAttributeChars ? note : "[]";
    }

    /** A message's tool calls as the conventions' {@code tool_call} parts: id, name and arguments, each within the budget. */
    private static void toolCallParts(JsonObject message, JsonArrayBuilder parts, Budget budget) {
        for (JsonValue value : Json.array(message, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            JsonObject call = value instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
            JsonObject function = Json.object(call, "function").orElse(JsonValue.EMPTY_JSON_OBJECT);
            if (budget.spend(64)) {
                parts.add(Json.object().add("type", "tool_call").add("id", budget.cut(Json.string(call, "id").orElse("")))
                        .add("name", budget.cut(Json.string(function, "name").orElse(""))).add("arguments", budget.cut(Json.string(function, "arguments").orElse(""))));
            }
        }
    }

    private void textParts(JsonValue content, JsonArrayBuilder parts, Budget budget) {
        if (content instanceof JsonString s) {
            if (budget.spend(30)) {
                parts.add(Json.object().add("type", "text").add("content", budget.cut(s.getString())));
            }
        } else if (content instanceof JsonArray list) {
            for (JsonValue value : list) {
                JsonObject part = value instanceof JsonObject o ? o : JsonValue.EMPTY_JSON_OBJECT;
                String type = Json.string(part, "type").orElse("");
                if (!budget.spend(Budget.escaped(type) + 30)) {
                    return;
                }
                if (type.equals("text")) {
                    parts.add(Json.object().add("type", "text").add("content", budget.cut(Json.string(part, "text").orElse(""))));
                } else {
                    // images and audio stay off spans: they are large, and data URLs would be copied whole
                    parts.add(Json.object().add("type", budget.cut(type)));
                }
            }
        }
    }

    /**
     * What is left of one attribute's length: texts are cut at the configured length and at what remains, counting
     * JSON escapes, so that the SDK's own length limit never cuts the JSON itself.
     */
    private final class Budget {

        /** Room kept for the closing brackets and the note on messages left out. */
        private int remaining = maxAttributeChars - 128;

        static int escaped(String text) {
            int cost = 0;
            for (int i = 0; i < text.length(); i++) {
                cost += escaped(text.charAt(i));
            }
            return cost;
        }

        /** A character's length in JSON text: quotes and backslashes doubled, control characters six. */
        static int escaped(char c) {
            return c == '"' || c == '\\' ? 2 : c < 0x20 ? 6 : 1;
        }

        boolean spend(int chars) {
            remaining -= chars;
            return remaining >= 0;
        }

        String cut(String text) {
            int allowed = Math.max(0, Math.min(maxChars, remaining));
            int end = 0;
            int cost = 0;
            while (end < text.length() && end < allowed) {
                int escaped = escaped(text.charAt(end));
                if (cost + escaped > allowed) {
                    break;
                }
                cost += escaped;
                end++;
            }
            if (end > 0 && end < text.length() && Character.isHighSurrogate(text.charAt(end - 1))) {
                end--;
            }
            remaining -= cost + 3;
            return end == text.length() ? text : text.substring(0, end) + "…";
        }
    }

    private static List<JsonObject> messages(JsonObject request) {
        List<JsonObject> messages = new ArrayList<>();
        for (JsonValue value : Json.array(request, "messages").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            if (value instanceof JsonObject message) {
                messages.add(message);
            }
        }
        return messages;
    }
}
