package dev.llmgateway.config;

import java.time.Duration;
import java.util.Set;

/**
 * What clients may ask of the export of their own request's spans, through request headers prefixed
 * {@code gateway-otlp-traces-extra-} (or TensorZero's {@code tensorzero-otlp-traces-extra-}).
 *
 * @param headers               whether a request may add headers to the OTLP export of its spans
 * @param attributes            whether a request may add span attributes to its spans
 * @param resources             whether a request may add resource attributes to its spans' resource
 * @param allowedHeaders        the only export header names clients may set (lower case); empty allows any
 * @param allowedResourceKeys   resource keys clients may set although the operator's namespaces hold them
 * @param overrideStaticHeaders whether a request's header replaces a configured one of the same name
 * @param maxEntries            most extra headers, attributes and resource attributes together on one request
 * @param maxValueBytes         longest single value
 * @param maxTotalBytes         most bytes of names and values together on one request
 * @param maxExporters          most exporters kept open, one per distinct set of extra headers
 * @param newExportersPerSecond how many exporters for header sets not seen before may be made per second
 * @param retention             how long a finished request's export state waits for spans that never arrive
 * @param maxWaitingBytes       most bytes of export state finished requests may hold while their spans wait for export
 */
public record RequestExportSettings(boolean headers, boolean attributes, boolean resources, Set<String> allowedHeaders,
                                    Set<String> allowedResourceKeys, boolean overrideStaticHeaders, int maxEntries,
                                    int maxValueBytes, int maxTotalBytes, int maxExporters, int newExportersPerSecond,
                                    Duration retention, long maxWaitingBytes) {

    public static final RequestExportSettings DEFAULTS = new RequestExportSettings(true, true, true, Set.of(), Set.of(), false,
            16, 1024, 8192, 64, 10, Duration.ofSeconds(60), 16L * 1024 * 1024);

    public RequestExportSettings {
        allowedHeaders = Set.copyOf(allowedHeaders);
        allowedResourceKeys = Set.copyOf(allowedResourceKeys);
    }
}
