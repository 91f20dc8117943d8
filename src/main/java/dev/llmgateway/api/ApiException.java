package dev.llmgateway.api;

import dev.llmgateway.request.ApiError;

/** Ends a request with an OpenAI-shaped error; thrown where the request is read and checked. */
public class ApiException extends RuntimeException {

    private final ApiError error;

    public ApiException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    public ApiError error() {
        return error;
    }
}
