package dev.llmgateway.config;

import java.util.regex.Pattern;

/** URLs as they may be printed: credentials and query strings masked, since either can carry a key. */
public final class Redaction {

    private static final Pattern USER_INFO = Pattern.compile("^([A-Za-z][A-Za-z0-9+.-]*://)[^/?#@]*@");
    private static final Pattern QUERY = Pattern.compile("\\?.*$");

    private Redaction() {
    }

    public static String url(String url) {
        return QUERY.matcher(USER_INFO.matcher(url).replaceFirst("$1****@")).replaceFirst("?****");
    }
}
