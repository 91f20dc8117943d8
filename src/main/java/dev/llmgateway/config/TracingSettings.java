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
 * @param format              the conventions exported spans follow
 */
public record TracingSettings(boolean captureContent, int maxContentChars, int maxAttributeChars, boolean propagateTraceState,
                              boolean propagateBaggage, RequestExportSettings requestExport, TraceFormat format) {

    public static final int DEFAULT_MAX_ATTRIBUTE_CHARS = 16_384;

    public TracingSettings(boolean captureContent, int maxContentChars, int maxAttributeChars, boolean propagateTraceState,
                           boolean propagateBaggage, RequestExportSettings requestExport) {
        this(captureContent, maxContentChars, maxAttributeChars, propagateTraceState, propagateBaggage, requestExport, TraceFormat.OPENTELEMETRY);
    }

    /**
     * @param openInference whether spans leave in the OpenInference conventions rather than OpenTelemetry's GenAI ones
     * @param keepGenAi     in OpenInference, whether the GenAI attributes stay beside their counterparts
     */
    public record TraceFormat(boolean openInference, boolean keepGenAi) {
        public static final TraceFormat OPENTELEMETRY = new TraceFormat(false, false);
    }
}
