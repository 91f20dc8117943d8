package dev.llmgateway.keys;

import dev.llmgateway.request.ApiError;

import java.util.Map;

/** A call a key's limits refuse: the error to answer with, and the rate-limit headers that say why and until when. */
public final class LimitRefusedException extends RuntimeException {

    private final transient ApiError error;
    private final transient Map<String, String> headers;

    LimitRefusedException(ApiError error, Map<String, String> headers) {
        super(error.message(), null, false, false);
        this.error = error;
        this.headers = Map.copyOf(headers);
    }

    public ApiError error() {
        return error;
    }

    public Map<String, String> headers() {
        return headers;
    }

}
