package dev.llmgateway.admin;

import dev.llmgateway.request.ApiError;

/** An admin request refused with {@link #error()}. */
final class AdminException extends RuntimeException {

    private final transient ApiError error;

    AdminException(ApiError error) {
        super(error.message(), null, false, false);
        this.error = error;
    }

    ApiError error() {
        return error;
    }
}
