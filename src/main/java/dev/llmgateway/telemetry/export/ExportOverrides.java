package dev.llmgateway.telemetry.export;

import io.opentelemetry.api.common.Attributes;

import java.util.Map;

/**
 * What one request asked of the export of its spans.
 *
 * @param headers            extra OTLP export headers, lower-case names; values are secrets and go nowhere else
 * @param spanAttributes     added to each of the request's spans
 * @param resourceAttributes added to the resource the request's spans are exported under
 */
public record ExportOverrides(Map<String, String> headers, Attributes spanAttributes, Attributes resourceAttributes) {

    public static final ExportOverrides NONE = new ExportOverrides(Map.of(), Attributes.empty(), Attributes.empty());

    public ExportOverrides {
        headers = Map.copyOf(headers);
    }

    @Override
    public String toString() {
        return "ExportOverrides[headers=" + headers.keySet() + ", spanAttributes=" + spanAttributes.size()
                + ", resourceAttributes=" + resourceAttributes.size() + "]";
    }
}
