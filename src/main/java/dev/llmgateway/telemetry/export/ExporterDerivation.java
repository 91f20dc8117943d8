package dev.llmgateway.telemetry.export;

import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Map;

/**
 * Makes copies of the runtime's OTLP exporter with extra headers: same endpoint, protocol, TLS, compression,
 * timeout and configured headers. Reached through method handles because the OTLP exporter classes belong to the
 * runtime (both runtimes' exporters offer {@code toBuilder().addHeader(..).build()}); plain reflection would list
 * every builder method and fail on those naming classes the runtime leaves out (gRPC's {@code ManagedChannel}).
 */
final class ExporterDerivation {

    private final SpanExporter template;
    private final MethodHandle toBuilder;
    private final MethodHandle addHeader;
    private final MethodHandle build;

    private ExporterDerivation(SpanExporter template, MethodHandle toBuilder, MethodHandle addHeader, MethodHandle build) {
        this.template = template;
        this.toBuilder = toBuilder;
        this.addHeader = addHeader;
        this.build = build;
    }

    /** @throws UnsupportedOperationException naming why, when the exporter cannot be copied with extra headers */
    static ExporterDerivation of(SpanExporter template) {
        Class<?> exporter = template.getClass();
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builder = exporter.getClassLoader().loadClass(exporter.getName() + "Builder");
            return new ExporterDerivation(template,
                    lookup.findVirtual(exporter, "toBuilder", MethodType.methodType(builder)),
                    lookup.findVirtual(builder, "addHeader", MethodType.methodType(builder, String.class, String.class)),
                    lookup.findVirtual(builder, "build", MethodType.methodType(exporter)));
        } catch (ReflectiveOperationException | LinkageError | SecurityException | NullPointerException e) {
            throw new UnsupportedOperationException("the span exporter " + exporter.getName() + " cannot be copied with extra headers");
        }
    }

    /** @param headers names as they should be sent; a name the template already has is replaced */
    SpanExporter with(Map<String, String> headers) {
        try {
            Object builder = toBuilder.invoke(template);
            for (Map.Entry<String, String> header : headers.entrySet()) {
                addHeader.invoke(builder, header.getKey(), header.getValue());
            }
            return (SpanExporter) build.invoke(builder);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // the exporter's own message may quote a header value: say only what failed
            throw new IllegalStateException("copying the span exporter " + template.getClass().getName() + " failed: " + e.getClass().getName());
        }
    }
}
