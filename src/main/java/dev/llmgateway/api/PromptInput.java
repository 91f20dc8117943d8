package dev.llmgateway.api;

import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

/**
 * What OpenAI accepts as the text of an embeddings {@code input} or a legacy {@code prompt}: a string, an array of
 * strings, an array of token ids, or an array of such arrays. Anything else is refused naming the element.
 */
final class PromptInput {

    private static final long MAX_TOKEN_ID = Integer.MAX_VALUE;

    private PromptInput() {
    }

    /** @param emptyStrings whether an empty string is a valid input (a prompt may be empty; text to embed may not) */
    static void check(JsonValue value, String param, boolean emptyStrings) {
        if (RequestFields.absent(value)) {
            throw RequestFields.invalid("you must provide " + (param.equals("input") ? "an" : "a") + " " + param + " parameter", param);
        }
        if (value instanceof JsonString text) {
            text(text, param, emptyStrings);
            return;
        }
        if (!(value instanceof JsonArray list)) {
            throw shape(param);
        }
        if (list.isEmpty()) {
            throw RequestFields.invalid("'" + param + "' must not be an empty array", param);
        }
        JsonValue.ValueType kind = list.get(0).getValueType();
        for (int i = 0; i < list.size(); i++) {
            JsonValue item = list.get(i);
            String at = param + "[" + i + "]";
            if (item.getValueType() != kind) {
                throw RequestFields.invalid("'" + param + "' must hold items of one kind: strings, token ids or arrays of token ids", at);
            }
            if (item instanceof JsonString text) {
                text(text, at, emptyStrings);
            } else if (item instanceof JsonNumber token) {
                token(token, at);
            } else if (item instanceof JsonArray tokens) {
                tokens(tokens, at);
            } else {
                throw shape(param);
            }
        }
    }

    private static void text(JsonString text, String param, boolean emptyStrings) {
        if (!emptyStrings && text.getString().isEmpty()) {
            throw RequestFields.invalid("'" + param + "' must not be an empty string", param);
        }
    }

    private static void tokens(JsonArray tokens, String param) {
        if (tokens.isEmpty()) {
            throw RequestFields.invalid("'" + param + "' must not be an empty array", param);
        }
        for (int i = 0; i < tokens.size(); i++) {
            if (!(tokens.get(i) instanceof JsonNumber token)) {
                throw RequestFields.invalid("'" + param + "' must hold token ids", param + "[" + i + "]");
            }
            token(token, param + "[" + i + "]");
        }
    }

    private static void token(JsonNumber token, String param) {
        if (!token.isIntegral() || token.bigDecimalValue().signum() < 0 || token.bigDecimalValue().compareTo(java.math.BigDecimal.valueOf(MAX_TOKEN_ID)) > 0) {
            throw RequestFields.invalid("a token id must be a whole number from 0 to " + MAX_TOKEN_ID, param);
        }
    }

    private static ApiException shape(String param) {
        return RequestFields.invalid("'" + param + "' must be a string, an array of strings, an array of token ids or an array of arrays of token ids", param);
    }
}
