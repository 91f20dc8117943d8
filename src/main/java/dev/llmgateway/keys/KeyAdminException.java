package dev.llmgateway.keys;

import dev.llmgateway.request.ApiError;

/** An admin request about keys that cannot be done, with the error to answer. */
public final class KeyAdminException extends RuntimeException {

    private final transient ApiError error;

    KeyAdminException(int status, String code, String param, String message) {
        super(message, null, false, false);
        this.error = new ApiError(status, status == 503 ? "server_error" : ApiError.INVALID_REQUEST, code, param, message,
                status == 503 ? java.time.Duration.ofSeconds(1) : null);
    }

    public ApiError error() {
        return error;
    }
}
