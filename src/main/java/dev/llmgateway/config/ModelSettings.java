package dev.llmgateway.config;

import java.util.List;

/**
 * A model name clients send, and the providers that serve it, tried in order.
 *
 * @param aliases other names clients may send for it: exact names, or patterns with {@code *} for any run of characters
 *                ({@code claude-sonnet-*}), as agents name the models they were built for
 */
public record ModelSettings(String name, List<String> routing, List<String> aliases) {

    public ModelSettings(String name, List<String> routing) {
        this(name, routing, List.of());
    }

    public ModelSettings {
        routing = List.copyOf(routing);
        aliases = List.copyOf(aliases);
    }

    /** How specific the model's best alias for {@code requested} is: the characters it fixes; -1 when none matches. */
    int specificity(String requested) {
        int best = -1;
        for (String alias : aliases) {
            if (alias.indexOf('*') < 0 ? alias.equals(requested) : matches(alias, requested)) {
                best = Math.max(best, alias.indexOf('*') < 0 ? Integer.MAX_VALUE : alias.replace("*", "").length());
            }
        }
        return best;
    }

    private static boolean matches(String pattern, String name) {
        String[] parts = pattern.split("\\*", -1);
        if (!name.startsWith(parts[0])) {
            return false;
        }
        int at = parts[0].length();
        for (int i = 1; i < parts.length - 1; i++) {
            int found = name.indexOf(parts[i], at);
            if (found < 0) {
                return false;
            }
            at = found + parts[i].length();
        }
        String last = parts[parts.length - 1];
        return name.length() - at >= last.length() && name.endsWith(last);
    }
}
