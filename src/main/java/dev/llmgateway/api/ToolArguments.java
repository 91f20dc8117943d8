package dev.llmgateway.api;

import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.json.JsonLimitException;
import dev.llmgateway.json.JsonShape;

/**
 * A tool call's arguments: JSON text inside the JSON that a provider may parse (Anthropic's does), measured and
 * bounded like the body itself and charged to the request's memory, so that no provider parses text unbounded.
 */
final class ToolArguments {

    private ToolArguments() {
    }

    /** @return the JSON values the arguments hold, counted against {@code maxValues} */
    static int charge(String arguments, String param, RequestLimits limits, int maxValues, Reservation memory) {
        JsonShape shape;
        try {
            shape = JsonShape.measure(arguments, limits.maxJsonDepth(), maxValues, false);
        } catch (JsonLimitException e) {
            throw RequestFields.invalid("The tool call's arguments " + e.getMessage().substring("The request body ".length()), param);
        }
        memory.take(RequestLimits.parsingCost(0, shape.longestString(), true, shape.values()) + 2L * arguments.length());
        return shape.values();
    }
}
