package dev.llmgateway.api;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.request.RequestState;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.Route;
import jakarta.servlet.http.HttpServletResponse;

/** Response headers that tell the client which inference it got and which route served it. */
final class RouteHeaders {

    static final String INFERENCE_ID = "X-Gateway-Inference-Id";
    /** The request's fields a translation left out, as only tuning a provider this call did not reach. */
    static final String DROPPED_FIELDS = "X-Gateway-Dropped-Fields";
    static final String FUNCTION = "X-Gateway-Function";
    static final String VARIANT = "X-Gateway-Variant";
    static final String MODEL = "X-Gateway-Model";
    static final String PROVIDER = "X-Gateway-Provider";
    static final String ATTEMPTS = "X-Gateway-Attempts";

    private RouteHeaders() {
    }

    /** The inference's id, under the gateway's header and the ones Anthropic's ({@code request-id}) and OpenAI's clients read. */
    static void inferenceId(String id, HttpServletResponse response) {
        response.setHeader(INFERENCE_ID, id);
        response.setHeader(ApiError.REQUEST_ID, id);
        response.setHeader("x-request-id", id);
    }

    static void write(InferenceResult result, HttpServletResponse response) {
        Route route = result.route();
        inferenceId(result.inferenceId(), response);
        RequestState state = RequestState.current();
        if (state != null && !state.droppedFields().isEmpty()) {
            response.setHeader(DROPPED_FIELDS, String.join(", ", state.droppedFields()));
        }
        if (route.function() != null) {
            response.setHeader(FUNCTION, route.function());
            response.setHeader(VARIANT, route.variant());
        }
        response.setHeader(MODEL, route.model());
        response.setHeader(PROVIDER, route.provider());
        response.setHeader(ATTEMPTS, Integer.toString(route.attempts()));
    }
}
