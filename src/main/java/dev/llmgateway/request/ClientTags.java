package dev.llmgateway.request;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The tags a client puts on its inferences, {@code X-Gateway-Tags: team=search, env=prod}: at most 16, names of
 * letters, digits and {@code _.:-} up to 64 characters, values of printable ASCII up to 256, without commas, quotes or
 * backslashes (so that their JSON is never longer than what it holds).
 */
public final class ClientTags {

    public static final String HEADER = "X-Gateway-Tags";
    static final int MAX_TAGS = 16;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.:-]{1,64}");
    private static final Pattern VALUE = Pattern.compile("[\\x20\\x21\\x23-\\x2b\\x2d-\\x5b\\x5d-\\x7e]{0,256}");

    private ClientTags() {
    }

    /** The tags of {@code header}; empty for none. Throws IllegalArgumentException with a message for the client. */
    public static Map<String, String> parse(String header) {
        if (header == null || header.isBlank()) {
            return Map.of();
        }
        Map<String, String> tags = new LinkedHashMap<>();
        for (String pair : header.split(",", -1)) {
            int equals = pair.indexOf('=');
            String name = (equals < 0 ? pair : pair.substring(0, equals)).strip();
            String value = equals < 0 ? "" : pair.substring(equals + 1).strip();
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException(HEADER + ": a tag's name is 1 to 64 letters, digits, '_', '.', ':' or '-' (name=value, separated by commas)");
            }
            if (!VALUE.matcher(value).matches()) {
                throw new IllegalArgumentException(HEADER + ": tag '" + name + "' has a value that is not up to 256 printable ASCII characters without commas, quotes or backslashes");
            }
            if (tags.put(name, value) != null) {
                throw new IllegalArgumentException(HEADER + ": tag '" + name + "' is given twice");
            }
            if (tags.size() > MAX_TAGS) {
                throw new IllegalArgumentException(HEADER + ": at most " + MAX_TAGS + " tags");
            }
        }
        return Collections.unmodifiableMap(tags);
    }
}
