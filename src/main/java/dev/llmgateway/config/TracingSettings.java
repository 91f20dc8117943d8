package dev.llmgateway.config;

/**
 * What the gateway's own spans may carry besides metadata, what goes upstream with them, and what clients may add
 * to the export of theirs.
 *
 * @param captureContent      whether prompts and completions go on provider spans (off by default: they may be secret)
 * @param maxContentChars     the longest text part put on a span; longer ones are cut
 * @param maxAttributeChars   the longest attribute value any span carries (the SDK cuts longer ones)
 * @param propagateTraceState whether the caller's {@code tracestate} travels upstream with the provider span's traceparent
 * @param propagateBaggage    whether the caller's {@code baggage} travels upstream
 * @param requestExport       per-request export headers, span attributes and resource attributes
 */
public record TracingSettings(boolean captureContent, int maxContentChars, int maxAttributeChars, boolean propagateTraceState,
                              boolean propagateBaggage, RequestExportSettings requestExport) {

    public static final int DEFAULT_MAX_ATTRIBUTE_CHARS = 16_384;
}
