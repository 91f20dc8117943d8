package dev.llmgateway.telemetry.export;

import io.opentelemetry.sdk.trace.export.SpanExporter;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Map;

/**
 * Makes copies of the runtime's OTLP exporter with extra headers: same endpoint, protocol, TLS, compression,
 * timeout and configured headers. Reached reflectively because the OTLP exporter classes belong to the runtime
 * (both runtimes' exporters offer {@code toBuilder().addHeader(..).build()}).
 */
final class ExporterDerivation {

    private final SpanExporter template;
    private final Method toBuilder;
    private final Method addHeader;
    private final Method build;

    private ExporterDerivation(SpanExporter template, Method toBuilder, Method addHeader, Method build) {
        this.template = template;
        this.toBuilder = toBuilder;
        this.addHeader = addHeader;
        this.build = build;
    }

    /** @throws UnsupportedOperationException naming why, when the exporter cannot be copied with extra headers */
    static ExporterDerivation of(SpanExporter template) {
        try {
            Method toBuilder = template.getClass().getMethod("toBuilder");
            Class<?> builder = toBuilder.getReturnType();
            return new ExporterDerivation(template, toBuilder, builder.getMethod("addHeader", String.class, String.class), builder.getMethod("build"));
        } catch (NoSuchMethodException | SecurityException e) {
            throw new UnsupportedOperationException("the span exporter " + template.getClass().getName() + " cannot be copied with extra headers");
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
        } catch (IllegalAccessException e) {
            throw new IllegalStateException("cannot copy the span exporter " + template.getClass().getName(), e);
        } catch (InvocationTargetException e) {
            // the exporter's own message may quote a header value: say only what failed
            throw new IllegalStateException("copying the span exporter " + template.getClass().getName() + " failed: "
                    + e.getCause().getClass().getName());
        }
    }
}
