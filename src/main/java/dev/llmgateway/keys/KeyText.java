package dev.llmgateway.keys;

import java.util.regex.Pattern;

/** What the admin API accepts as names, and how it quotes what it refuses. */
final class KeyText {

    /** Key names, team names, model and function names as the gateway's own settings allow them. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9._:/*@-]{1,128}");

    private KeyText() {
    }

    /** Team names: as key names, without {@code /} and {@code *}, so that each is one path segment of the admin API. */
    static final Pattern TEAM = Pattern.compile("[A-Za-z0-9._:@-]{1,128}");

    /** {@code text} when it is a team's name, else an {@link IllegalArgumentException} naming {@code field}. */
    static String team(String text, String field) {
        if (text == null || !TEAM.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + field + "' must be 1 to 128 letters, digits or ._:@- characters");
        }
        return text;
    }

    /** A client's text, short and printable, to be quoted in an error. */
    static String shown(String text) {
        StringBuilder shown = new StringBuilder();
        for (int i = 0; i < text.length() && shown.length() < 64; i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return "'" + shown + (text.length() > 64 ? "…" : "") + "'";
    }

    /** {@code text} when it is a plain name, else an {@link IllegalArgumentException} naming {@code field}. */
    static String name(String text, String field) {
        if (text == null || !NAME.matcher(text).matches()) {
            throw new IllegalArgumentException("'" + field + "' must be 1 to 128 letters, digits or ._:/*@- characters");
        }
        return text;
    }
}
