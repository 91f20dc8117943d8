package dev.llmgateway.provider.anthropic;

import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.OptionalLong;

/** Reads OpenAI request parameters strictly: present with the wrong type is refused naming it, never taken as absent. */
final class Parameters {

    private Parameters() {
    }

    static void copyNumber(JsonObject in, JsonObjectBuilder out, String from, String to) throws UnsupportedInputException {
        if (!present(in, from)) {
            return;
        }
        if (!(in.get(from) instanceof JsonNumber n)) {
            throw new UnsupportedInputException(from, "'" + from + "' must be a number");
        }
        out.add(to, n);
    }

    /** An integer parameter, written as one or as a number with no fraction ({@code 2.0}); anything else is refused. */
    static OptionalLong integer(JsonObject in, String key) throws UnsupportedInputException {
        if (!present(in, key)) {
            return OptionalLong.empty();
        }
        try {
            if (in.get(key) instanceof JsonNumber n) {
                return OptionalLong.of(n.bigDecimalValue().longValueExact());
            }
        } catch (ArithmeticException notAnInteger) {
            // refused below
        }
        throw new UnsupportedInputException(key, "'" + key + "' must be an integer");
    }

    static String string(JsonObject in, String key, String param) throws UnsupportedInputException {
        if (in.get(key) instanceof JsonString s) {
            return s.getString();
        }
        throw new UnsupportedInputException(param, "'" + param + "' must be a string");
    }

    static boolean present(JsonObject in, String key) {
        JsonValue value = in.get(key);
        return value != null && value.getValueType() != JsonValue.ValueType.NULL;
    }

    static boolean isZero(JsonValue value) {
        return value instanceof JsonNumber n && n.bigDecimalValue().signum() == 0;
    }
}
