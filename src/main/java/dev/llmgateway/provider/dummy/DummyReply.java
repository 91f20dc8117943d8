package dev.llmgateway.provider.dummy;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.MessageContent;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.regex.Matcher;

/**
 * What the dummy provider says to a request: the last user message echoed back, cut to
 * {@code max_tokens} words, with whitespace-separated words counted as tokens. A last user message that says
 * {@code [[tool NAME]]} or {@code [[tool NAME {"arg":…}]]}, for a tool the request offers, is answered with a call to it;
 * a conversation that ends with a tool's result is answered with that result's first words.
 *
 * @param toolCall the tool the reply calls, or null
 */
record DummyReply(List<String> words, boolean truncated, long inputTokens, ToolCall toolCall) {

    /** A call to one of the request's tools, its arguments as JSON text. */
    record ToolCall(String name, String arguments) {
    }

    private static final Pattern TOOL = Pattern.compile("\\[\\[tool ([A-Za-z0-9_.:-]{1,128})( \\{.{0,4096}?})?]]", Pattern.DOTALL);

    DummyReply(List<String> words, boolean truncated, long inputTokens) {
        this(words, truncated, inputTokens, null);
    }

    static final String GREETING = "Hello from the dummy provider.";

    /** To a legacy completion: its prompt echoed back (the first, when it sends several); a prompt of tokens is greeted. */
    static DummyReply toPrompt(JsonObject request) {
        JsonValue prompt = request.get("prompt");
        String text = "";
        if (prompt instanceof JsonString s) {
            text = s.getString();
        } else if (prompt instanceof JsonArray list && !list.isEmpty() && list.get(0) instanceof JsonString first) {
            text = first.getString();
        }
        List<String> words = words(text.isBlank() ? GREETING : text);
        return cut(request, words, words(text).size());
    }

    static DummyReply to(JsonObject request) {
        JsonArray messages = Json.array(request, "messages").orElse(JsonValue.EMPTY_JSON_ARRAY);
        String lastUser = "";
        String lastRole = "";
        String lastText = "";
        long input = 0;
        for (JsonValue value : messages) {
            if (value instanceof JsonObject message) {
                String text = MessageContent.text(message.get("content"));
                input += words(text).size();
                lastRole = Json.string(message, "role").orElse("").toLowerCase(Locale.ROOT);
                lastText = text;
                if ("user".equals(lastRole)) {
                    lastUser = text;
                }
            }
        }
        if ("tool".equals(lastRole)) {
            List<String> result = words(lastText);
            List<String> answer = new ArrayList<>(List.of("Tool", "result:"));
            answer.addAll(result.subList(0, Math.min(result.size(), 20)));
            return cut(request, answer, input);
        }
        ToolCall call = "user".equals(lastRole) ? toolCall(request, lastUser) : null;
        if (call != null) {
            return new DummyReply(List.of(), false, input, call);
        }
        return cut(request, words(lastUser.isBlank() ? GREETING : lastUser), input);
    }

    /** The call the text asks for, if the request offers that tool; its arguments an object, or none. */
    private static ToolCall toolCall(JsonObject request, String text) {
        Matcher asked = TOOL.matcher(text);
        if (!asked.find()) {
            return null;
        }
        String name = asked.group(1);
        boolean offered = Json.array(request, "tools").orElse(JsonValue.EMPTY_JSON_ARRAY).stream()
                .filter(JsonObject.class::isInstance).map(JsonObject.class::cast)
                .anyMatch(tool -> name.equals(Json.object(tool, "function").flatMap(f -> Json.string(f, "name")).orElse(null)));
        if (!offered) {
            return null;
        }
        String arguments = asked.group(2) == null ? "{}" : asked.group(2).strip();
        try {
            return new ToolCall(name, Json.toText(Json.parseObject(arguments)));
        } catch (RuntimeException notAnObject) {
            return new ToolCall(name, "{}");
        }
    }

    private static DummyReply cut(JsonObject request, List<String> words, long input) {
        long max = Json.integer(request, "max_completion_tokens").orElse(Json.integer(request, "max_tokens").orElse(Long.MAX_VALUE));
        boolean truncated = max < words.size();
        return new DummyReply(truncated ? words.subList(0, (int) Math.max(0, max)) : words, truncated, input);
    }

    String text() {
        return String.join(" ", words);
    }

    String finishReason() {
        return toolCall != null ? "tool_calls" : truncated ? "length" : "stop";
    }

    long outputTokens() {
        return words.size() + (toolCall == null ? 0 : 1 + words(toolCall.arguments()).size());
    }


    /** Whitespace-separated words: the dummy's tokens. */
    static List<String> words(String text) {
        List<String> words = new ArrayList<>();
        for (String word : text.strip().split("\\s+")) {
            if (!word.isEmpty()) {
                words.add(word);
            }
        }
        return words;
    }
}
