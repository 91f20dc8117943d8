package dev.llmgateway.json;

/**
 * Measures a JSON text before it is parsed, in one pass over its characters: how deep it nests, how many values it
 * holds (keys included), how long its numbers and its longest string are, and whether it needs UTF-16, so that a
 * body's parsing and tree are bounded before they happen. Syntax is left to the parser; this only counts.
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
                depth--;
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
