package dev.llmgateway.inference;

import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** UUIDv7 (RFC 9562): time-ordered, so inference ids sort by when they started. */
final class InferenceIds {

    private InferenceIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = (System.currentTimeMillis() << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        long low = (random.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
        return new UUID(high, low).toString();
    }
}
