package dev.llmgateway.config;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The secret values the gateway was configured with (provider keys, provider and export header values, every setting
 * marked secret), found and masked in any text before it leaves: as they are, JSON-escaped, URL-encoded and
 * base64-encoded at any alignment. Values shorter than {@link #SHORTEST} are not searched for: they would mask
 * ordinary words.
 */
public final class SecretText {

    public static final String MASK = "****";
    public static final int SHORTEST = 8;
    private static final byte[] MASK_BYTES = MASK.getBytes(StandardCharsets.US_ASCII);

    public static final SecretText NONE = new SecretText(List.of());

    /** Longest first, so that an encoding holding another pattern is masked whole. */
    private final List<String> patterns;
    private final List<byte[]> utf8;
    /** The first bytes any pattern starts with: the one test made at each position of a text. */
    private final boolean[] starts = new boolean[256];

    private SecretText(List<String> patterns) {
        this.patterns = patterns;
        this.utf8 = patterns.stream().map(p -> p.getBytes(StandardCharsets.UTF_8)).toList();
        utf8.forEach(p -> starts[p[0] & 0xff] = true);
    }

    public static SecretText of(Collection<String> secrets) {
        Set<String> patterns = new LinkedHashSet<>();
        for (String secret : secrets) {
            if (secret != null && secret.strip().length() >= SHORTEST) {
                String value = secret.strip();
                patterns.add(value);
                patterns.add(jsonEscaped(value));
                patterns.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
                patterns.add(URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20"));
                patterns.addAll(base64(value.getBytes(StandardCharsets.UTF_8)));
            }
        }
        List<String> sorted = new ArrayList<>(patterns.stream().filter(p -> p.length() >= SHORTEST).toList());
        sorted.sort(Comparator.comparingInt(String::length).reversed());
        return new SecretText(List.copyOf(sorted));
    }

    /** How many texts are searched for (the secrets and their encodings). */
    public int patterns() {
        return patterns.size();
    }

    /**
     * The text with every secret masked, also where JSON escapes spell them ({@code sk\u005cu002dkey}, {@code \/}); the same
     * instance when it holds none.
     */
    public String scrub(String text) {
        if (text == null || patterns.isEmpty() || !containsAny(text) && !text.contains("\\u00") && !text.contains("\\/")) {
            return text;
        }
        // one byte a character, at the same positions: what is searched for through escapes is ASCII
        List<int[]> found = matches(text.getBytes(StandardCharsets.ISO_8859_1));
        if (found.isEmpty()) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        int from = 0;
        for (int[] range : found) {
            out.append(text, from, range[0]).append(MASK);
            from = range[1];
        }
        return out.append(text, from, text.length()).toString();
    }

    /** UTF-8 bytes with every secret masked, also where JSON escapes spell them; the same array when they hold none. */
    public byte[] scrub(byte[] text) {
        if (patterns.isEmpty() || indexOfAny(text, 0) < 0 && !holds(text, ESCAPED_ASCII) && !holds(text, ESCAPED_SLASH)) {
            return text;
        }
        List<int[]> found = matches(text);
        return found.isEmpty() ? text : masked(text, found);
    }

    private boolean containsAny(String text) {
        for (String pattern : patterns) {
            if (text.contains(pattern)) {
                return true;
            }
        }
        return false;
    }

    private static final byte[] ESCAPED_ASCII = {'\\', 'u', '0', '0'};
    private static final byte[] ESCAPED_SLASH = {'\\', '/'};

    private static byte[] masked(byte[] text, List<int[]> ranges) {
        var out = new java.io.ByteArrayOutputStream(text.length);
        int from = 0;
        for (int[] range : ranges) {
            out.write(text, from, range[0] - from);
            out.writeBytes(MASK_BYTES);
            from = range[1];
        }
        out.write(text, from, text.length - from);
        return out.toByteArray();
    }

    private static boolean holds(byte[] text, byte[] part) {
        for (int i = 0; i + part.length <= text.length; i++) {
            if (text[i] == part[0] && java.util.Arrays.equals(text, i, i + part.length, part, 0, part.length)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Where the patterns stand, as they are or as a JSON reader reads the text's escapes: walking it one character or
     * escape at a time, never starting inside an escape (a mask then never leaves half of one), without copying it;
     * the ranges to mask, in order.
     */
    private List<int[]> matches(byte[] text) {
        List<int[]> found = new ArrayList<>();
        int i = 0;
        while (i < text.length) {
            int first = decoded(text, i);
            int end = -1;
            if (starts[first & 0xff]) {
                for (byte[] pattern : utf8) {
                    end = matchFrom(text, i, pattern);
                    if (end > 0) {
                        break;
                    }
                }
            }
            if (end > 0) {
                found.add(new int[] {i, end});
                i = end;
            } else {
                i += first >>> 16;
            }
        }
        return found;
    }

    private static int matchFrom(byte[] text, int from, byte[] pattern) {
        int at = from;
        for (byte expected : pattern) {
            if (at >= text.length) {
                return -1;
            }
            int next = decoded(text, at);
            if ((byte) next != expected) {
                return -1;
            }
            at += next >>> 16;
        }
        return at;
    }

    /** The byte a JSON reader reads at {@code at} (an escape of an ASCII character decoded), and in the high bits how many it spans. */
    private static int decoded(byte[] text, int at) {
        if (text[at] != '\\' || at + 1 >= text.length) {
            return (text[at] & 0xff) | 1 << 16;
        }
        byte next = text[at + 1];
        int unit = next == 'u' && at + 5 < text.length ? hex(text, at + 2) : -1;
        if (unit >= 0 && unit < 0x80) {
            return unit | 6 << 16;
        }
        int simple = switch (next) {
            case '/' -> '/';
            case '\\' -> '\\';
            case '"' -> '"';
            case 'n' -> '\n';
            case 't' -> '\t';
            case 'r' -> '\r';
            case 'b' -> '\b';
            case 'f' -> '\f';
            default -> -1;
        };
        return simple < 0 ? '\\' | 1 << 16 : simple | 2 << 16;
    }

    private static int hex(byte[] text, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(text[i], 16);
            if (digit < 0) {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    private int indexOfAny(byte[] text, int from) {
        for (int i = from; i < text.length; i++) {
            if (starts[text[i] & 0xff] && patternAt(text, i) != null) {
                return i;
            }
        }
        return -1;
    }

    private byte[] patternAt(byte[] text, int at) {
        for (byte[] pattern : utf8) {
            if (java.util.Arrays.equals(text, at, Math.min(text.length, at + pattern.length), pattern, 0, pattern.length)) {
                return pattern;
            }
        }
        return null;
    }

    private static String jsonEscaped(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '/' -> out.append("\\/");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }

    /**
     * The part of the value's base64 that does not depend on what surrounds it, for each of the three alignments it can
     * have inside a longer encoded text ({@code Basic} credentials, a token), in both alphabets.
     */
    private static List<String> base64(byte[] value) {
        List<String> encodings = new ArrayList<>();
        for (int offset = 0; offset < 3; offset++) {
            byte[] aligned = new byte[offset + value.length];
            System.arraycopy(value, 0, aligned, offset, value.length);
            String encoded = Base64.getEncoder().withoutPadding().encodeToString(aligned);
            int skip = offset == 0 ? 0 : offset + 1;
            int end = aligned.length / 3 * 4;
            if (end - skip >= SHORTEST) {
                encodings.add(encoded.substring(skip, end));
                encodings.add(encoded.substring(skip, end).replace('+', '-').replace('/', '_'));
            }
        }
        return encodings;
    }
}
