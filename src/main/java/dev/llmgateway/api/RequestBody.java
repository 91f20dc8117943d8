package dev.llmgateway.api;

import dev.llmgateway.admission.Reservation;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/**
 * Reads a request body as it arrives, refusing one larger than the configured limit without reading all of it.
 * The buffer grows with the bytes that came, never from the declared length alone: headers pin no memory.
 */
final class RequestBody {

    private static final int FIRST_BUFFER = 16 * 1024;

    private RequestBody() {
    }

    static byte[] read(InputStream in, long declaredLength, long limit, Reservation reservation) {
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
            }
        } catch (IOException e) {
            throw new ApiException(ApiError.invalidRequest("The request body could not be read completely", null));
        }
        if (length > limit) {
            throw tooLarge(limit);
        }
        return length == buffer.length ? buffer : Arrays.copyOf(buffer, length);
    }

    private static ApiException tooLarge(long limit) {
        return new ApiException(new ApiError(413, ApiError.INVALID_REQUEST, "request_too_large", null,
                "The request body is larger than this gateway accepts (" + limit + " bytes)", null));
    }
}
