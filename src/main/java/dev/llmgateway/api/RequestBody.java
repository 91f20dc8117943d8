package dev.llmgateway.api;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

/**
 * Reads a request body as it arrives, refusing one larger than the configured limit without reading all of it.
 * The buffer grows with the bytes that came, never from the declared length alone: headers pin no memory. A body must
 * arrive within the body timeout and, past its first seconds, at the minimum rate: a client that trickles it gets 408
 * at its next byte past either (or when the container's own read timeout ends a silence), and its memory back.
 */
final class RequestBody {

    private static final int FIRST_BUFFER = 16 * 1024;

    private RequestBody() {
    }

    static byte[] read(InputStream in, long declaredLength, long limit, Reservation reservation) {
        return read(in, declaredLength, limit, reservation, Duration.ofDays(1), 0);
    }

    static byte[] read(InputStream in, long declaredLength, RequestLimits limits, Reservation reservation) {
        return read(in, declaredLength, limits.maxBodyBytes(), reservation, limits.bodyTimeout(), limits.minBodyRate());
    }

    private static byte[] read(InputStream in, long declaredLength, long limit, Reservation reservation, Duration timeout, long minRate) {
        long start = System.nanoTime();
        if (declaredLength > limit) {
            throw tooLarge(limit);
        }
        int first = (int) Math.min(FIRST_BUFFER, declaredLength >= 0 ? declaredLength : FIRST_BUFFER);
        reservation.take(first);
        byte[] buffer = new byte[first];
        int length = 0;
        try {
            while (length != declaredLength) {
                if (length == buffer.length) {
                    if (length > limit) {
                        throw tooLarge(limit);
                    }
                    int next = (int) Math.min(limit + 1, Math.max(FIRST_BUFFER, (long) buffer.length * 2));
                    if (declaredLength > 0) {
                        next = (int) Math.min(next, declaredLength);
                    }
                    reservation.take(next - buffer.length);
                    buffer = Arrays.copyOf(buffer, next);
                }
                int n = in.read(buffer, length, buffer.length - length);
                if (n < 0) {
                    break;
                }
                length += n;
                if (length != declaredLength) {
                    tooSlow(System.nanoTime() - start, length, timeout, minRate);
                }
            }
        } catch (IOException e) {
            // Open Liberty's read waits to fill what it is asked for: a trickling body ends there, at its read timeout
            if (e instanceof java.net.SocketTimeoutException || e.getCause() instanceof java.net.SocketTimeoutException
                    || System.nanoTime() - start > timeout.toNanos()) {
                throw timedOut(timeout);
            }
            throw new ApiException(ApiError.invalidRequest("The request body could not be read completely", null));
        }
        if (length > limit) {
            throw tooLarge(limit);
        }
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    /** Refuses a body still arriving past the timeout, or below the minimum rate once the grace has passed. */
    static void tooSlow(long elapsedNanos, long arrived, Duration timeout, long minRate) {
        if (elapsedNanos > timeout.toNanos()) {
            throw timedOut(timeout);
        }
        long seconds = TimeUnit.NANOSECONDS.toSeconds(elapsedNanos);
        if (elapsedNanos > RequestLimits.BODY_RATE_GRACE.toNanos() && arrived < minRate * seconds) {
            throw new ApiException(new ApiError(408, ApiError.INVALID_REQUEST, "request_timeout", null, "The request body arrived at "
                    + arrived / Math.max(1, seconds) + " bytes a second, below the " + minRate + " this gateway waits for"
                    + " (gateway.request.min-body-bytes-per-second)", null));
        }
    }

    private static ApiException timedOut(Duration timeout) {
        return new ApiException(new ApiError(408, ApiError.INVALID_REQUEST, "request_timeout", null, "The request body did not arrive within "
                + timeout.toMillis() + " ms (gateway.request.body-timeout-ms), or the server's read timeout", null));
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", null,
                "The request body is larger than this gateway accepts (" + limit + " bytes)", null));
    }
}
