package dev.llmgateway.provider;

import dev.llmgateway.json.Json;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParser.Event;
import jakarta.json.stream.JsonParsingException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * What telemetry reads from a whole answer (a chat or text completion, embeddings, a Responses API response): its id,
 * model, finish reasons (a response's status) and token counts. Read from the text
 * as parse events, never as a tree, which would cost every answer its whole size again in objects.
 *
 * @param id    the answer's {@code id}, or null
 * @param model the model that answered, or null
 */
public record CompletionSummary(String id, String model, List<String> finishReasons, Usage usage) {

    /** Reads the summary, checking on the way that the whole text is one JSON object; throws JsonException if not. */
    public static CompletionSummary read(String json) {
        try (JsonParser parser = Json.parser(json)) {
            if (!parser.hasNext() || parser.next() != Event.START_OBJECT) {
                throw new JsonParsingException("not a JSON object", parser.getLocation());
            }
            String id = null;
            String model = null;
            List<String> finishReasons = List.of();
            Usage usage = Usage.UNKNOWN;
            String status = null;
            while (parser.next() == Event.KEY_NAME) {
                String key = parser.getString();
                Event value = parser.next();
                switch (key) {
                    case "id" -> id = string(parser, value);
                    case "status" -> status = string(parser, value);
                    case "model" -> model = string(parser, value);
                    case "choices" -> finishReasons = finishReasons(parser, value);
                    case "usage" -> usage = usage(parser, value);
                    default -> skip(parser, value);
                }
            }
            if (parser.hasNext()) {
                throw new JsonParsingException("more after the JSON object", parser.getLocation());
            }
            if (finishReasons.isEmpty() && status != null) {
                finishReasons = List.of(status); // a Responses API response says how it ended in its status
            }
            return new CompletionSummary(id, model, finishReasons, usage);
        }
    }

    private static List<String> finishReasons(JsonParser parser, Event value) {
        if (value != Event.START_ARRAY) {
            skip(parser, value);
            return List.of();
        }
        List<String> reasons = new ArrayList<>(1);
        for (Event choice = parser.next(); choice != Event.END_ARRAY; choice = parser.next()) {
            String reason = member(parser, choice, "finish_reason", CompletionSummary::string, null);
            if (reason != null) {
                reasons.add(reason);
            }
        }
        return reasons;
    }

    private static Usage usage(JsonParser parser, Event value) {
        if (value != Event.START_OBJECT) {
            skip(parser, value);
            return Usage.UNKNOWN;
        }
        long input = -1;
        long output = -1;
        long cachedInput = -1;
        long reasoning = -1;
        long cacheWrite = -1;
        while (parser.next() == Event.KEY_NAME) {
            String key = parser.getString();
            Event field = parser.next();
            switch (key) {
                case "prompt_tokens", "input_tokens" -> input = integer(parser, field);
                case "completion_tokens", "output_tokens" -> output = integer(parser, field);
                case "prompt_tokens_details", "input_tokens_details" -> cachedInput = member(parser, field, "cached_tokens", CompletionSummary::integer, -1L);
                case "completion_tokens_details", "output_tokens_details" -> reasoning = member(parser, field, "reasoning_tokens", CompletionSummary::integer, -1L);
                case Usage.CACHE_WRITE -> cacheWrite = integer(parser, field);
                default -> skip(parser, field);
            }
        }
        return new Usage(input, output, cachedInput, reasoning, cacheWrite);
    }

    /** One member of an object value, read by {@code read}; {@code absent} when the value is no object or lacks it. */
    private static <T> T member(JsonParser parser, Event value, String name, BiFunction<JsonParser, Event, T> read, T absent) {
        if (value != Event.START_OBJECT) {
            skip(parser, value);
            return absent;
        }
        T found = absent;
        while (parser.next() == Event.KEY_NAME) {
            boolean wanted = name.equals(parser.getString());
            Event field = parser.next();
            if (wanted) {
                found = read.apply(parser, field);
            } else {
                skip(parser, field);
            }
        }
        return found;
    }

    private static String string(JsonParser parser, Event value) {
        if (value == Event.VALUE_STRING) {
            return parser.getString();
        }
        skip(parser, value);
        return null;
    }

    private static long integer(JsonParser parser, Event value) {
        if (value == Event.VALUE_NUMBER && parser.isIntegralNumber()) {
            return parser.getLong();
        }
        skip(parser, value);
        return -1;
    }

    /** Passes over a value event by event rather than with skipObject(), so that the whole answer is still checked. */
    private static void skip(JsonParser parser, Event value) {
        if (value != Event.START_OBJECT && value != Event.START_ARRAY) {
            return;
        }
        for (int depth = 1; depth > 0; ) {
            Event event = parser.next();
            if (event == Event.START_OBJECT || event == Event.START_ARRAY) {
                depth++;
            } else if (event == Event.END_OBJECT || event == Event.END_ARRAY) {
                depth--;
            }
        }
    }
}
