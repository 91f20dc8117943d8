package dev.llmgateway.json;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One member of a JSON object's top level, replaced in the object's own bytes: everything else (spacing, key order,
 * number spelling, escapes, members the gateway does not know) stays byte for byte as it was. The text must be one
 * valid JSON object, as the gateway's request reader has already made sure.
 */
public final class TopLevelMember {

    private TopLevelMember() {
    }

    /**
     * {@code json} with the value of its top-level member {@code key} replaced by the string {@code value}; null when the
     * object has no such member.
     */
    public static byte[] replaceString(byte[] json, String key, String value) {
        int[] span = valueSpan(json, key);
        if (span == null) {
            return null;
        }
        byte[] replacement = Json.quote(value).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(json.length + replacement.length);
        out.write(json, 0, span[0]);
        out.write(replacement, 0, replacement.length);
        out.write(json, span[1], json.length - span[1]);
        return out.toByteArray();
    }

    /** Where the value of the top-level member {@code key} starts and ends (exclusive), or null. */
    static int[] valueSpan(byte[] json, String key) {
        int depth = 0;
        boolean expectKey = false;
        int[] found = null;
        int i = 0;
        while (i < json.length) {
            byte b = json[i];
            if (b == '"') {
                int end = stringEnd(json, i);
                if (depth == 1 && expectKey) {
                    int colon = skipSpace(json, end);
                    int valueStart = skipSpace(json, colon + 1);
                    if (key.equals(stringValue(json, i, end))) {
                        if (found != null) {
                            return null; // the key twice: which one a parser reads is its own choice, so neither is spliced
                        }
                        found = new int[] {valueStart, valueEnd(json, valueStart)};
                    }
                    expectKey = false;
                    i = valueStart;
                    continue;
                }
                i = end;
                continue;
            }
            switch (b) {
                case '{' -> {
                    depth++;
                    expectKey = depth == 1;
                }
                case '[' -> depth++;
                case '}', ']' -> depth--;
                case ',' -> expectKey = depth == 1;
                default -> {
                }
            }
            i++;
        }
        return found;
    }

    /** The index just past the string that opens at {@code start}. */
    private static int stringEnd(byte[] json, int start) {
        int i = start + 1;
        while (json[i] != '"') {
            i += json[i] == '\\' ? 2 : 1;
        }
        return i + 1;
    }

    private static int skipSpace(byte[] json, int i) {
        while (i < json.length && (json[i] == ' ' || json[i] == '\t' || json[i] == '\n' || json[i] == '\r')) {
            i++;
        }
        return i;
    }

    /** The index just past the value that starts at {@code start}. */
    private static int valueEnd(byte[] json, int start) {
        if (json[start] == '"') {
            return stringEnd(json, start);
        }
        int depth = 0;
        int i = start;
        while (i < json.length) {
            byte b = json[i];
            if (b == '"') {
                i = stringEnd(json, i);
                continue;
            }
            if (b == '{' || b == '[') {
                depth++;
            } else if (b == '}' || b == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (depth == 0 && (b == ',' || b == ' ' || b == '\t' || b == '\n' || b == '\r')) {
                return i;
            }
            i++;
        }
        return i;
    }

    /** The string's value, its escapes read. */
    private static String stringValue(byte[] json, int start, int end) {
        String raw = new String(json, start, end - start, StandardCharsets.UTF_8);
        return raw.indexOf('\\') < 0 ? raw.substring(1, raw.length() - 1) : ((jakarta.json.JsonString) Json.literal(raw)).getString();
    }
}
