package dev.llmgateway.config;

/** URLs as they may be printed: credentials and query strings masked, since either can carry a key. */
public final class Redaction {

    private Redaction() {
    }

    /** Everything before the last {@code @} of the authority-ish part, and every query, masked; masks too much rather than too little. */
    public static String url(String url) {
        String masked = url;
        int query = masked.indexOf('?');
        if (query >= 0) {
            masked = masked.substring(0, query) + "?****";
        }
        int at = masked.lastIndexOf('@');
        if (at >= 0) {
            int scheme = masked.indexOf("://");
            int start = scheme >= 0 && scheme < at ? scheme + 3 : 0;
            masked = masked.substring(0, start) + "****" + masked.substring(at);
        }
        return masked;
    }
}
