package dev.llmgateway.inference;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code {{name}}} placeholders filled from the request's variables; a missing one is the client's error. */
final class PromptTemplate {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{\\s*([A-Za-z0-9_.-]+)\\s*}}");

    private PromptTemplate() {
    }

    static String render(String template, JsonObject variables) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder(template.length() + 64);
        while (m.find()) {
            JsonValue value = variables.get(m.group(1));
            if (value == null) {
                throw new InvalidInferenceRequestException(InferenceService.VARIABLES,
                        "The variant's system prompt needs the variable '" + m.group(1) + "'; send it in \"" + InferenceService.VARIABLES + "\"");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(text(value)));
        }
        m.appendTail(out);
        return out.toString();
    }

    private static String text(JsonValue value) {
        if (value instanceof JsonString s) {
            return s.getString();
        }
        if (value instanceof JsonNumber n) {
            return n.toString();
        }
        return value.toString();
    }
}
