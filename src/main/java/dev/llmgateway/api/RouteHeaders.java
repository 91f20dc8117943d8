package dev.llmgateway.api;

import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.Route;
import jakarta.servlet.http.HttpServletResponse;

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

    static void write(InferenceResult result, HttpServletResponse response) {
        Route route = result.route();
        response.setHeader(INFERENCE_ID, result.inferenceId());
        if (route.function() != null) {
            response.setHeader(FUNCTION, route.function());
            response.setHeader(VARIANT, route.variant());
        }
        response.setHeader(MODEL, route.model());
        response.setHeader(PROVIDER, route.provider());
        response.setHeader(ATTEMPTS, Integer.toString(route.attempts()));
    }
}
