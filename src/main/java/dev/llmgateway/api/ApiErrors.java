package dev.llmgateway.api;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.admission.MemoryBudgetExceededException;
import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.inference.InvalidInferenceRequestException;
import dev.llmgateway.inference.UnknownModelException;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderException.Reason;
import dev.llmgateway.provider.UpstreamError;
import dev.llmgateway.events.GatewayEvents;
import jakarta.ws.rs.WebApplicationException;

import java.time.Duration;

/** Decides the status and OpenAI error of every failure a request can end in. */
public final class ApiErrors {

    // 429, not 503: Payara Micro closes the connection after any 503, and every refused client would reconnect
    private static final ApiError OVERLOADED = new ApiError(429, "rate_limit_error", "gateway_overloaded", null,
            "The gateway holds as many request bodies as its memory budget allows; retry shortly", Duration.ofSeconds(1));

    private static final ApiError TOO_MANY_CALLS = new ApiError(429, "rate_limit_error", "gateway_overloaded", null,
            "The gateway is answering as many calls as it is configured to carry at once (gateway.calls.max-in-flight); retry shortly",
            Duration.ofSeconds(1));

    private static final ApiError TOO_LARGE_FOR_BUDGET = new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", null,
            "The request needs more memory than this gateway's budget allows (gateway.request.memory-budget-bytes); send less", null);

    private ApiErrors() {
    }

    /** The error for a failure, or {@code null} when it is not one the gateway expected (a bug: a 500). */
    public static ApiError of(Throwable failure) {
        if (failure instanceof ApiException e) {
            return e.error();
        }
        if (failure instanceof InvalidInferenceRequestException e) {
            return ApiError.invalidRequest(e.getMessage(), e.param());
        }
        if (failure instanceof UnknownModelException e) {
            return new ApiError(404, ApiError.INVALID_REQUEST, "model_not_found", "model", e.getMessage(), null);
        }
        if (failure instanceof InferenceFailedException e) {
            return inferenceFailed(e);
        }
        if (failure instanceof MemoryBudgetExceededException e) {
            return e.never() ? TOO_LARGE_FOR_BUDGET : OVERLOADED;
        }
        if (failure instanceof WebApplicationException e) {
            return http(e.getResponse().getStatus());
        }
        return null;
    }

    /** The error to answer a failure with; one the gateway did not expect is announced (counted, logged with its trace), never shown. */
    public static ApiError answering(Throwable failure, GatewayEvents events) {
        ApiError error = of(failure);
        if (error == null) {
            events.unexpected(failure);
            return internal();
        }
        return error;
    }

    /** The answer to a call past the limit of calls in flight. */
    public static ApiError tooManyCalls() {
        return TOO_MANY_CALLS;
    }

    public static ApiError internal() {
        return new ApiError(500, "server_error", "internal_error", null,
                "The gateway failed to handle the request; the failure is in its log", null);
    }

    public static ApiError http(int status) {
        return switch (status) {
            case 404 -> new ApiError(404, ApiError.INVALID_REQUEST, "not_found", null, "No such endpoint on this gateway", null);
            case 405 -> new ApiError(405, ApiError.INVALID_REQUEST, "method_not_allowed", null, "This endpoint does not accept that HTTP method", null);
            case 406 -> new ApiError(406, ApiError.INVALID_REQUEST, "not_acceptable", null, "This endpoint cannot answer in the media type asked for", null);
            case 415 -> new ApiError(415, ApiError.INVALID_REQUEST, "unsupported_media_type", null, "The request body must be JSON", null);
            default -> status >= 500 ? internal()
                    : new ApiError(status, ApiError.INVALID_REQUEST, null, null, "The request was refused (HTTP " + status + ")", null);
        };
    }

    private static ApiError inferenceFailed(InferenceFailedException e) {
        ProviderException last = e.last();
        UpstreamError upstream = last.upstreamError();
        if (last.reason() == Reason.REQUEST_REJECTED || last.reason() == Reason.UNSUPPORTED) {
            return new ApiError(last.status(), upstream.type() != null ? upstream.type() : ApiError.INVALID_REQUEST, upstream.code(),
                    upstream.param(), e.getMessage(), null);
        }
        if (last.reason() == Reason.ANSWER_TOO_LARGE) {
            return new ApiError(502, "api_error", "upstream_too_large", null, e.getMessage(), null);
        }
        if (last.reason() == Reason.OVERLOADED) {
            return new ApiError(429, "rate_limit_error", "gateway_overloaded", null, e.getMessage(), Duration.ofSeconds(1));
        }
        if (e.all(Reason.TIMEOUT)) {
            return new ApiError(504, "timeout_error", "upstream_timeout", null, e.getMessage(), null);
        }
        if (e.all(Reason.RATE_LIMITED)) {
            return new ApiError(429, "rate_limit_error", "rate_limit_exceeded", null, e.getMessage(), last.retryAfter().orElse(null));
        }
        return new ApiError(502, "api_error", "upstream_error", null, e.getMessage(), null);
    }
}
