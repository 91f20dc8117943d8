package dev.llmgateway.config;

import jakarta.json.JsonObject;

import java.util.Optional;

/**
 * One way of serving a function.
 *
 * @param model        the model it calls
 * @param weight       its share of the function's traffic, relative to the other variants' weights
 * @param systemPrompt a system message put first, with {@code {{variable}}} placeholders
 * @param defaults     request parameters used when the request does not set them
 */
public record VariantSettings(String name, String model, double weight, Optional<String> systemPrompt, JsonObject defaults) {
}
