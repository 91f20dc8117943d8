package dev.llmgateway.json;

/**
 * Measures a JSON text before it is parsed, in one pass over its characters: how deep it nests, how many values it
 * holds (keys included), how long its numbers and its longest string are, and whether it needs UTF-16, so that a
 * body's parsing and tree are bounded before they happen. Syntax is left to the parser; this counts, and refuses the two
 * things a lenient parser would let through: content after the JSON value, and an escaped lone surrogate ({@code "\ud800"}),
 * which no encoder can send on and which would reach an upstream as something else.
 *
 * @param values        values, keys included
 * @param longestString the longest string's length in characters (the parser buffers a whole string at once)
 * @param wide          whether any character is beyond Latin-1: the text, and its strings, then take two bytes a character
 */
public record JsonShape(int values, int longestString, boolean wide) {

    /** No parameter of any API needs more digits; the JSON provider refuses to convert much longer ones. */
    public static final int MAX_NUMBER_CHARS = 100;

    /** The shape of {@code text}; throws {@link JsonLimitException} naming the top-level member at fault. */
    public static JsonShape measure(String text, int maxDepth, int maxValues) {
        return measure(text, maxDepth, maxValues, true);
    }

    /**
     * As {@link #measure(String, int, int)}; {@code strict} also refuses content after the value and escaped lone
     * surrogates. Lenient for JSON the gateway only carries (tool-call arguments a model wrote), which is passed on as it came.
     */
    public static JsonShape measure(String text, int maxDepth, int maxValues, boolean strict) {
        int depth = 0;
        int values = 0;
        int longest = 0;
        boolean wide = false;
        int keyStart = -1;
        int keyEnd = -1;
        boolean expectKey = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c == '"') {
                int start = i;
                for (i++; i < n && text.charAt(i) != '"'; i++) {
                    char inString = text.charAt(i);
                    if (inString == '\\') {
                        i += strict ? escapedPair(text, i, keyStart, keyEnd) : 0;
                        i++;
                    } else if (inString > 0xFF) {
                        wide = true; // outside strings such a character is a syntax error the parser refuses
                    }
                }
                longest = Math.max(longest, i - start - 1);
                if (depth == 1 && expectKey) {
                    keyStart = start + 1;
                    keyEnd = i;
                    expectKey = false;
                }
                values++;
            } else if (c == '{' || c == '[') {
                if (++depth > maxDepth) {
                    throw new JsonLimitException("nests deeper than " + maxDepth + " levels", member(text, keyStart, keyEnd));
                }
                expectKey = depth == 1 && c == '{';
                values++;
            } else if (c == '}' || c == ']') {
                if (--depth == 0 && strict) {
                    trailing(text, i + 1);
                    break;
                }
            } else if (c == ',') {
                expectKey = depth == 1;
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                int start = i;
                while (i + 1 < n && numberChar(text.charAt(i + 1))) {
                    i++;
                }
                int number = i - start + 1;
                if (number > MAX_NUMBER_CHARS) {
                    throw new JsonLimitException("has a number of " + number + " characters; at most " + MAX_NUMBER_CHARS + " are accepted",
                            member(text, keyStart, keyEnd));
                }
                values++;
            } else if (c == 't' || c == 'f' || c == 'n') {
                values++;
                while (i + 1 < n && Character.isLetter(text.charAt(i + 1))) {
                    i++;
                }
            }
            if (values > maxValues) {
                throw new JsonLimitException("holds more than " + maxValues + " values", member(text, keyStart, keyEnd));
            }
        }
        return new JsonShape(values, longest, wide);
    }

    /**
     * At a backslash inside a string: refuses a {@code \\u} escape of a surrogate that is not one half of a pair; the
     * characters to skip beyond the escape's own two when it opens a pair (the pair's second escape), else 0.
     */
    private static int escapedPair(String text, int at, int keyStart, int keyEnd) {
        int unit = at + 5 < text.length() && text.charAt(at + 1) == 'u' ? hex(text, at + 2) : -1;
        if (unit < 0 || !Character.isSurrogate((char) unit)) {
            return 0;
        }
        boolean paired = Character.isHighSurrogate((char) unit) && at + 11 < text.length() && text.charAt(at + 6) == '\\'
                && text.charAt(at + 7) == 'u' && hex(text, at + 8) >= 0 && Character.isLowSurrogate((char) hex(text, at + 8));
        if (!paired) {
            throw new JsonLimitException("holds an escaped lone surrogate (\\u" + text.substring(at + 2, at + 6)
                    + "); a string must be valid Unicode", member(text, keyStart, keyEnd));
        }
        return 6;
    }

    private static int hex(String text, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    /** Only whitespace may follow the JSON value: a second value after it would be read by one parser and not another. */
    private static void trailing(String text, int from) {
        for (int i = from, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
                throw new JsonLimitException("has content after its JSON value (at character " + i + ")", null);
            }
        }
    }

    /**
     * About how many values UTF-8 JSON holds, in one pass without decoding it: its commas, colons and openings outside
     * strings, plus one. What its tree would cost is charged from this before the tree is built.
     */
    public static long values(byte[] utf8) {
        long values = 1;
        boolean inString = false;
        for (int i = 0; i < utf8.length; i++) {
            byte b = utf8[i];
            if (inString) {
                if (b == '\\') {
                    i++;
                } else if (b == '"') {
                    inString = false;
                }
            } else if (b == '"') {
                inString = true;
            } else if (b == ',' || b == ':' || b == '[' || b == '{') {
                values++;
            }
        }
        return values;
    }

    /** As {@link #values(byte[])}, for text. */
    public static long values(CharSequence text) {
        long values = 1;
        boolean inString = false;
        for (int i = 0, n = text.length(); i < n; i++) {
            char c = text.charAt(i);
            if (inString) {
                if (c == '\\') {
                    i++;
                } else if (c == '"') {
                    inString = false;
                }
            } else if (c == '"') {
                inString = true;
            } else if (c == ',' || c == ':' || c == '[' || c == '{') {
                values++;
            }
        }
        return values;
    }

    private static boolean numberChar(char c) {
        return (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    }

    /** The top-level member being read when a limit was passed, if it is a plain name worth quoting. */
    private static String member(String text, int start, int end) {
        if (start < 0 || end - start > 64) {
            return null;
        }
        String name = text.substring(start, end);
        return name.chars().allMatch(c -> c == '_' || c == '-' || c == '.' || Character.isLetterOrDigit(c)) ? name : null;
    }
}
