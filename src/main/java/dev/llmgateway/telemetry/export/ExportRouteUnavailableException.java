package dev.llmgateway.telemetry.export;

/** A request's extra export headers cannot be given an exporter right now; the request may be retried shortly. */
public class ExportRouteUnavailableException extends RuntimeException {

    public ExportRouteUnavailableException(String message) {
        super(message, null, false, false);
    }
}
