package dev.llmgateway.telemetry.export;

/** A request header asking for something about the export that the gateway refuses; the message never quotes the value. */
public final class InvalidExportHeaderException extends RuntimeException {

    private final String header;

    InvalidExportHeaderException(String header, String message) {
        super(message);
        this.header = header;
    }

    /** The request header at fault, as the client sent its name. */
    public String header() {
        return header;
    }
}
