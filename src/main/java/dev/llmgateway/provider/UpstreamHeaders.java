package dev.llmgateway.provider;

import java.net.http.HttpRequest;

/** Headers every upstream call carries besides its own, such as the trace context; supplied by telemetry. */
public interface UpstreamHeaders {

    UpstreamHeaders NONE = request -> {
    };

    void addTo(HttpRequest.Builder request);
}
