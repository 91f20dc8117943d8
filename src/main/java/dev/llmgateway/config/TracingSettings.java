package dev.llmgateway.config;

/**
 * What the gateway's own spans may carry besides metadata, and what clients may add to the export of theirs.
 *
 * @param captureContent  whether prompts and completions go on provider spans (off by default: they may be secret)
 * @param maxContentChars the longest text part put on a span; longer ones are cut
 * @param requestExport   per-request export headers, span attributes and resource attributes
 */
public record TracingSettings(boolean captureContent, int maxContentChars, RequestExportSettings requestExport) {
}
