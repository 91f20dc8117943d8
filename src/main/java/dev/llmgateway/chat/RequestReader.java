package dev.llmgateway.chat;

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
 * the body as it arrives, its text while parsing, then its tree by the number of values measured before building it.
 */
final class RequestReader {

    private RequestReader() {
    }

    static JsonObject object(HttpServletRequest http, RequestLimits limits, Reservation reservation) throws IOException {
        return object(http.getInputStream(), http.getContentLengthLong(), limits, reservation);
    }

    static JsonObject object(InputStream in, long declaredLength, RequestLimits limits, Reservation reservation) {
        byte[] body = RequestBody.read(in, declaredLength, limits.maxBodyBytes(), reservation);
        if (body.length == 0) {
            throw invalid("The request body is empty; send a JSON object", null);
        }
        reservation.take((long) (RequestLimits.COPIES_OF_BODY - 1) * body.length);
        String text;
        try {
            text = Json.strictText(body);
        } catch (CharacterCodingException e) {
            throw invalid("The request body is not valid UTF-8", null);
        }
        int values;
        try {
            values = JsonShape.measure(text, limits.maxJsonDepth(), limits.maxJsonValues());
        } catch (JsonLimitException e) {
            throw invalid(e.getMessage() + (e.member() == null ? "" : " (in '" + e.member() + "')"), e.member());
        }
        reservation.take((long) RequestLimits.BYTES_PER_VALUE * values);
        try {
            return Json.parseObject(text);
        } catch (JsonException | IllegalStateException | ClassCastException e) {
            throw invalid("The request body is not a valid JSON object", null);
        }
    }

    private static ApiException invalid(String message, String param) {
        return new ApiException(ApiError.invalidRequest(message, param));
    }
}
