package dev.llmgateway.chat;

import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.Route;

import java.util.LinkedHashMap;
import java.util.Map;

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

    static Map<String, String> of(InferenceResult result) {
        Route route = result.route();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(INFERENCE_ID, result.inferenceId());
        if (route.function() != null) {
            headers.put(FUNCTION, route.function());
            headers.put(VARIANT, route.variant());
        }
        headers.put(MODEL, route.model());
        headers.put(PROVIDER, route.provider());
        headers.put(ATTEMPTS, Integer.toString(route.attempts()));
        return headers;
    }
}
