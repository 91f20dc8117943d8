package dev.llmgateway.chat;

import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.Route;
import jakarta.ws.rs.core.Response;

/** Response headers that tell the client which inference it got and which route served it. */
final class RouteHeaders {

    static final String INFERENCE_ID = "X-Gateway-Inference-Id";
    static final String FUNCTION = "X-Gateway-Function";
    static final String VARIANT = "X-Gateway-Variant";
    static final String MODEL = "X-Gateway-Model";
    static final String PROVIDER = "X-Gateway-Provider";
    static final String ATTEMPTS = "X-Gateway-Attempts";

    private RouteHeaders() {
    }

    static Response.ResponseBuilder add(Response.ResponseBuilder response, InferenceResult result) {
        Route route = result.route();
        response.header(INFERENCE_ID, result.inferenceId())
                .header(MODEL, route.model())
                .header(PROVIDER, route.provider())
                .header(ATTEMPTS, route.attempts());
        if (route.function() != null) {
            response.header(FUNCTION, route.function()).header(VARIANT, route.variant());
        }
        return response;
    }
}
