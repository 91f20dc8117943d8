package dev.llmgateway.it;

import java.util.Random;

/**
 * Mutations of a valid chat request, the kinds clients and proxies really produce: cut short, characters flipped
 * or dropped, fields retyped, numbers made huge or negative, structures nested deep, text mangled by a wrong
 * charset, lone surrogates. (Invalid UTF-8 bytes are covered by ChatRequestParserTest.)
 */
final class RequestMutations {

    private static final String[] REPLACEMENTS = {
            "null", "true", "-1", "1e309", "99999999999999999999999999", "\"\"", "[]", "{}", "\"\\ud800\"", "[[[[[[[[[[[[]]]]]]]]]]]]"};
    private static final String[] KEYS = {"\"model\"", "\"messages\"", "\"temperature\"", "\"max_tokens\"", "\"stream\"", "\"role\"", "\"content\""};

    private RequestMutations() {
    }

    static String mutate(String valid, Random random) {
        String body = valid;
        int mutations = 1 + random.nextInt(3);
        for (int m = 0; m < mutations; m++) {
            body = switch (random.nextInt(7)) {
                case 0 -> body.substring(0, random.nextInt(body.length()));
                case 1 -> flip(body, random);
                case 2 -> drop(body, random);
                case 3 -> retype(body, random);
                case 4 -> "[".repeat(2000) + body + "]".repeat(2000);
                case 5 -> body.replace("héllo", new String(new byte[]{(byte) 0xC3, (byte) 0x28}, java.nio.charset.StandardCharsets.ISO_8859_1));
                default -> body.replace("\"max_tokens\":12", "\"max_tokens\":" + (random.nextBoolean() ? "-5" : "1e12"));
            };
        }
        return body;
    }

    private static String flip(String body, Random random) {
        if (body.isEmpty()) {
            return body;
        }
        char[] chars = body.toCharArray();
        String noise = "{}[]\",:\\0a \u0000";
        chars[random.nextInt(chars.length)] = noise.charAt(random.nextInt(noise.length()));
        return new String(chars);
    }

    private static String drop(String body, Random random) {
        if (body.length() < 2) {
            return body;
        }
        int at = random.nextInt(body.length() - 1);
        return body.substring(0, at) + body.substring(at + 1 + random.nextInt(Math.min(8, body.length() - at - 1)));
    }

    /** Gives one field a value of another type. */
    private static String retype(String body, Random random) {
        String key = KEYS[random.nextInt(KEYS.length)];
        int at = body.indexOf(key + ":");
        if (at < 0) {
            return body;
        }
        int start = at + key.length() + 1;
        int end = valueEnd(body, start);
        return body.substring(0, start) + REPLACEMENTS[random.nextInt(REPLACEMENTS.length)] + body.substring(end);
    }

    private static int valueEnd(String body, int start) {
        int depth = 0;
        boolean inString = false;
        for (int i = start; i < body.length(); i++) {
            char c = body.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                    if (depth == 0) {
                        return i + 1;
                    }
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                if (depth == 0) {
                    return i;
                }
                depth--;
                if (depth == 0) {
                    return i + 1;
                }
            } else if (c == ',' && depth == 0) {
                return i;
            }
        }
        return body.length();
    }
}
