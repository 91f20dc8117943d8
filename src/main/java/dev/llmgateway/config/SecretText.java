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
     * The text with every secret masked, also where JSON escapes spell it ({@code sk\\u002dkey}, {@code \\/}); the same
     * instance when it holds none.
     */
    public String scrub(String text) {
        if (text == null || patterns.isEmpty()) {
            return text;
        }
        String scrubbed = text;
        for (String pattern : patterns) {
            if (scrubbed.contains(pattern)) {
                scrubbed = scrubbed.replace(pattern, MASK);
            }
        }
        return scrubbed.contains("\\u") || scrubbed.contains("\\/") ? unescapedScrub(scrubbed) : scrubbed;
    }

    /** Searches the text as a JSON reader would see its ASCII escapes, and masks each find where it stands in the text. */
    private String unescapedScrub(String text) {
        StringBuilder decoded = new StringBuilder(text.length());
        int[] origin = new int[text.length() + 1];
        int i = 0;
        while (i < text.length()) {
            origin[decoded.length()] = i;
            char c = text.charAt(i);
            int unit = c == '\\' && i + 5 < text.length() && text.charAt(i + 1) == 'u' ? hex(text, i + 2) : -1;
            if (unit >= 0 && unit < 0x80) {
                decoded.append((char) unit);
                i += 6;
            } else if (c == '\\' && i + 1 < text.length() && text.charAt(i + 1) == '/') {
                decoded.append('/');
                i += 2;
            } else {
                decoded.append(c);
                i++;
            }
        }
        origin[decoded.length()] = text.length();
        if (decoded.length() == text.length()) {
            return text; // no escape that could spell a secret
        }
        boolean[] masked = new boolean[text.length()];
        boolean found = false;
        for (String pattern : patterns) {
            for (int at = decoded.indexOf(pattern); at >= 0; at = decoded.indexOf(pattern, at + 1)) {
                java.util.Arrays.fill(masked, origin[at], origin[at + pattern.length()], true);
                found = true;
            }
        }
        if (!found) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int j = 0; j < text.length(); j++) {
            if (!masked[j]) {
                out.append(text.charAt(j));
            } else if (j == 0 || !masked[j - 1]) {
                out.append(MASK);
            }
        }
        return out.toString();
    }

    private static int hex(String text, int from) {
        int value = 0;
        for (int i = from; i < from + 4; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0 || text.charAt(i) > 'f') {
                return -1;
            }
            value = value * 16 + digit;
        }
        return value;
    }

    /** UTF-8 bytes with every secret masked, in one pass (JSON escapes read as a reader would); the same array when they hold none. */
    public byte[] scrub(byte[] text) {
        if (patterns.isEmpty()) {
            return text;
        }
        if (escapes(text)) {
            String decoded = new String(text, StandardCharsets.UTF_8);
            String scrubbed = scrub(decoded);
            return scrubbed == decoded ? text : scrubbed.getBytes(StandardCharsets.UTF_8);
        }
        if (indexOfAny(text, 0) < 0) {
            return text;
        }
        var out = new java.io.ByteArrayOutputStream(text.length);
        int from = 0;
        for (int at = indexOfAny(text, 0); at >= 0; at = indexOfAny(text, from)) {
            byte[] pattern = patternAt(text, at);
            out.write(text, from, at - from);
            out.writeBytes(MASK_BYTES);
            from = at + pattern.length;
        }
        out.write(text, from, text.length - from);
        return out.toByteArray();
    }

    /** Whether the bytes hold a {@code \\u} or {@code \\/} escape: rare in answers, and what could hide a secret from a plain search. */
    private static boolean escapes(byte[] text) {
        for (int i = 0; i + 1 < text.length; i++) {
            if (text[i] == '\\' && (text[i + 1] == 'u' || text[i + 1] == '/')) {
                return true;
            }
        }
        return false;
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
