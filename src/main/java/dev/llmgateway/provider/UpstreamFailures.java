package dev.llmgateway.provider;

import dev.llmgateway.config.SecretText;
import dev.llmgateway.json.Json;
import dev.llmgateway.json.JsonShape;
import dev.llmgateway.provider.ProviderException.Reason;
import jakarta.json.JsonObject;
import org.apache.hc.client5.http.ConnectTimeoutException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;

/** Turns what went wrong on the wire into a {@link ProviderException} whose message is safe to show a client. */
public final class UpstreamFailures {

    private static final int MAX_QUOTED = 300;
    private static final int MAX_ERROR_VALUES = 4096;

    private UpstreamFailures() {
    }

    /** An error status from the upstream, with the upstream's own explanation where it is safe to repeat. */
    public static ProviderException status(String provider, int status, String retryAfterHeader, byte[] body) {
        return status(provider, status, retryAfterHeader, body, SecretText.NONE);
    }

    /**
     * As {@link #status(String, int, String, byte[])}, with {@code secrets} masked in the explanation as the client reads
     * it: after JSON decoding too, where escapes ({@code \\u002d}) could have hidden one from a search of the raw body.
     */
    public static ProviderException status(String provider, int status, String retryAfterHeader, byte[] body, SecretText secrets) {
        Reason reason = reasonFor(status);
        String message = "provider '" + provider + "' answered HTTP " + status;
        UpstreamError error = UpstreamError.NONE;
        if (reason == Reason.AUTHENTICATION) {
            // the upstream's text may quote the credential: say only that it was refused
            message += ": the gateway's credentials for this provider were refused";
        } else {
            JsonObject json = errorBody(body);
            String explanation = explanation(body, json, secrets);
            if (!explanation.isEmpty()) {
                message += ": " + explanation;
            }
            error = json == null ? UpstreamError.NONE : UpstreamError.of(json).without(secrets);
        }
        Duration retryAfter = status == 429 || status == 503 ? retryAfter(retryAfterHeader) : null;
        return new ProviderException(provider, reason, status, message, retryAfter, null).with(error);
    }

    /** A failure to exchange at all: connect, send or receive. */
    public static ProviderException transport(String provider, IOException e, Duration connectTimeout) {
        if (e instanceof ConnectTimeoutException) {
            return new ProviderException(provider, Reason.TIMEOUT,
                    "provider '" + provider + "' could not be reached within " + connectTimeout.toMillis() + " ms", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new ProviderException(provider, Reason.TIMEOUT, "provider '" + provider + "' sent no response in time", e);
        }
        if (e instanceof ConnectException) {
            return new ProviderException(provider, Reason.CONNECTION, "provider '" + provider + "' refused the connection", e);
        }
        return new ProviderException(provider, Reason.CONNECTION,
                "provider '" + provider + "' closed or reset the connection before answering", e);
    }

    /** No response headers within the first-byte timeout: the timer aborted the exchange. */
    public static ProviderException noResponse(String provider, IOException e, Duration firstByteTimeout) {
        return new ProviderException(provider, Reason.TIMEOUT,
                "provider '" + provider + "' sent no response within " + firstByteTimeout.toMillis() + " ms", e);
    }

    /** A read that the timer cut short, or a connection that broke while the body was arriving. */
    public static ProviderException read(String provider, IOException e, ReadTimer timer, Duration firstByte, Duration idle) {
        if (timer.expired()) {
            String what = timer.expiredOnFirstRead()
                    ? "sent nothing within " + firstByte.toMillis() + " ms"
                    : "went silent for " + idle.toMillis() + " ms mid-response";
            return new ProviderException(provider, Reason.TIMEOUT, "provider '" + provider + "' " + what, e);
        }
        return new ProviderException(provider, Reason.CONNECTION, "provider '" + provider + "' broke the connection mid-response", e);
    }

    /** An error event inside a stream that had started well. */
    public static ProviderException streamError(String provider, String eventData, SecretText secrets) {
        byte[] body = eventData.getBytes(StandardCharsets.UTF_8);
        JsonObject json = errorBody(body);
        String explanation = explanation(body, json, secrets);
        // its identifiers (Anthropic's overloaded_error) go on: a client's recovery branches on them
        return new ProviderException(provider, Reason.SERVER_ERROR, "provider '" + provider + "' failed mid-stream: " + explanation, null)
                .with(json == null ? UpstreamError.NONE : new UpstreamError(UpstreamError.of(json).without(secrets).type(), null, null));
    }

    /** An answer past the size the gateway reads whole. */
    public static ProviderException tooLarge(String provider, int limit) {
        return new ProviderException(provider, Reason.ANSWER_TOO_LARGE, "provider '" + provider + "' answered more than " + (limit >> 20)
                + " MiB, more than the gateway reads as one answer; ask for less (fewer inputs, or base64 embeddings)", null);
    }

    /** An answer the gateway's memory budget did not hold: now, or ever. */
    public static ProviderException memory(String provider, AnswerMemory.Refusal refusal) {
        return refusal == AnswerMemory.Refusal.NEVER
                ? new ProviderException(provider, Reason.ANSWER_TOO_LARGE, "provider '" + provider + "' answered more than the gateway's memory budget"
                        + " holds for one answer (gateway.request.memory-budget-bytes); ask for less", null)
                : new ProviderException(provider, Reason.OVERLOADED, "the answers and requests in flight hold the gateway's whole memory budget;"
                        + " retry shortly", null);
    }

    public static ProviderException malformed(String provider, String what, Throwable cause) {
        return new ProviderException(provider, Reason.MALFORMED_RESPONSE, "provider '" + provider + "' sent " + what, cause);
    }

    static Reason reasonFor(int status) {
        if (status == 429) {
            return Reason.RATE_LIMITED;
        }
        if (status == 401 || status == 403) {
            return Reason.AUTHENTICATION;
        }
        if (status == 408 || status >= 500) {
            return Reason.SERVER_ERROR;
        }
        return Reason.REQUEST_REJECTED;
    }

    /** The error body as JSON, or null when it is not a JSON object (an HTML or plain-text error page). */
    private static JsonObject errorBody(byte[] body) {
        if (body == null || body.length == 0 || JsonShape.values(body) > MAX_ERROR_VALUES) {
            return null; // an error is a few values: one of tens of thousands is read as text, never built as a tree
        }
        try {
            return Json.parseObject(new String(body, StandardCharsets.UTF_8));
        } catch (RuntimeException notJson) {
            return null;
        }
    }

    static String explanation(byte[] body) {
        return explanation(body, errorBody(body), SecretText.NONE);
    }

    /** The upstream's own words, secrets masked before anything is cut (a cut could leave most of one unmasked). */
    private static String explanation(byte[] body, JsonObject json, SecretText secrets) {
        if (body == null || body.length == 0) {
            return "";
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (json != null) {
            text = Json.object(json, "error").flatMap(e -> Json.string(e, "message"))
                    .or(() -> Json.string(json, "error"))
                    .or(() -> Json.string(json, "message"))
                    .orElse(text);
        }
        text = secrets.scrub(text).strip().replaceAll("\\s+", " ");
        return text.length() > MAX_QUOTED ? text.substring(0, MAX_QUOTED) + "…" : text;
    }

    static Duration retryAfter(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.strip())));
        } catch (NumberFormatException notSeconds) {
            try {
                Duration until = Duration.between(ZonedDateTime.now(), ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME));
                return until.isNegative() ? Duration.ZERO : until;
            } catch (DateTimeParseException neither) {
                return null;
            }
        }
    }
}
