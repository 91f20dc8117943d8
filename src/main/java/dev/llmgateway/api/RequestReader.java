package dev.llmgateway.api;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.json.Json;
import dev.llmgateway.json.JsonLimitException;
import dev.llmgateway.json.JsonShape;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;

/**
 * Reads a request's JSON object within the request limits, charging the request's reservation for what it holds:
 * the body as it arrives, then, measured before anything is built, what parsing it takes; once parsed, the request
 * keeps only what its tree and the upstream's copy of the body hold.
 */
final class RequestReader {

    private RequestReader() {
    }

    /** A request body as it came and as a tree. */
    record Read(byte[] bytes, JsonObject json) {
    }

    static JsonObject object(HttpServletRequest http, RequestLimits limits, Reservation reservation) throws IOException {
        return object(http.getInputStream(), http.getContentLengthLong(), limits, reservation);
    }

    /** As {@link #object(HttpServletRequest, RequestLimits, Reservation)}, the body's bytes kept (and held in the budget) beside its tree. */
    static Read keepingBytes(HttpServletRequest http, RequestLimits limits, Reservation reservation) throws IOException {
        return read(http.getInputStream(), http.getContentLengthLong(), limits, reservation, true);
    }

    static JsonObject object(InputStream in, long declaredLength, RequestLimits limits, Reservation reservation) {
        return read(in, declaredLength, limits, reservation, false).json();
    }

    private static Read read(InputStream in, long declaredLength, RequestLimits limits, Reservation reservation, boolean keepBytes) {
        byte[] body = RequestBody.read(in, declaredLength, limits, reservation);
        if (body.length == 0) {
            throw invalid("The request body is empty; send a JSON object", null);
        }
        reservation.take(2L * body.length); // its text, two bytes a character at most
        String text;
        try {
            text = Json.strictText(body);
        } catch (CharacterCodingException e) {
            throw invalid("The request body is not valid UTF-8", null);
        }
        JsonShape shape;
        try {
            shape = JsonShape.measure(text, limits.maxJsonDepth(), limits.maxJsonValues());
        } catch (JsonLimitException e) {
            throw invalid(e.getMessage() + (e.member() == null ? "" : " (in '" + e.member() + "')"), e.member());
        }
        reservation.take(RequestLimits.parsingCost(body.length, shape.longestString(), shape.wide(), shape.values()) - 3L * body.length);
        JsonObject json;
        try {
            json = Json.parseUniqueKeys(text);
        } catch (JsonException | IllegalStateException | ClassCastException e) {
            throw invalid(e.getMessage() != null && e.getMessage().contains("Duplicate key")
                    ? "The request body holds the same key twice in one object; send each key once" : "The request body is not a valid JSON object", null);
        }
        reservation.keep(RequestLimits.heldCost(body.length, shape.wide(), shape.values()) + (keepBytes ? body.length : 0));
        return new Read(keepBytes ? body : null, json);
    }

    private static ApiException invalid(String message, String param) {
        return new ApiException(ApiError.invalidRequest(message, param));
    }
}
