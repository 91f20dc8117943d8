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

/**
 * What the dummy provider says to a request: the last user message echoed back, cut to
 * {@code max_tokens} words, with whitespace-separated words counted as tokens.
 */
record DummyReply(List<String> words, boolean truncated, long inputTokens) {

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
        long input = 0;
        for (JsonValue value : messages) {
            if (value instanceof JsonObject message) {
                String text = MessageContent.text(message.get("content"));
                input += words(text).size();
                if ("user".equals(Json.string(message, "role").orElse("").toLowerCase(Locale.ROOT))) {
                    lastUser = text;
                }
            }
        }
        return cut(request, words(lastUser.isBlank() ? GREETING : lastUser), input);
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
        return truncated ? "length" : "stop";
    }

    long outputTokens() {
        return words.size();
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
