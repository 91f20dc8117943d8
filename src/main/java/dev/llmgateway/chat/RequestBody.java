package dev.llmgateway.chat;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** Reads a request body, refusing one larger than the configured limit without reading all of it. */
final class RequestBody {

    private RequestBody() {
    }

    static byte[] read(InputStream in, long declaredLength, long limit) {
        if (declaredLength > limit) {
            throw tooLarge(limit);
        }
        byte[] buffer = new byte[declaredLength > 0 ? (int) declaredLength : 4096];
        int length = 0;
        try {
            while (length != declaredLength) {
                if (length == buffer.length) {
                    if (length > limit) {
                        throw tooLarge(limit);
                    }
                    buffer = Arrays.copyOf(buffer, (int) Math.min(limit + 1, (long) buffer.length * 2));
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
