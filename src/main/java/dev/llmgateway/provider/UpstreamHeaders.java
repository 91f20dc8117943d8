package dev.llmgateway.provider;

import java.util.function.BiConsumer;

/** Headers every upstream call carries besides its own, such as the trace context; supplied by telemetry. */
public interface UpstreamHeaders {

    UpstreamHeaders NONE = header -> {
    };

    /** Hands each header's name and value to {@code header}. */
    void addTo(BiConsumer<String, String> header);
}
