package dev.llmgateway.provider.responses;

import java.util.concurrent.ThreadLocalRandom;

/** Ids for items the translation makes up where the chat answer named none. */
final class ResponseIds {

    private ResponseIds() {
    }

    static String next() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong());
    }
}
