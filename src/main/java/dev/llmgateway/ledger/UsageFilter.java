package dev.llmgateway.ledger;

import java.time.Instant;

/**
 * Which inferences a query covers: a time range (start inclusive, end exclusive) and optional exact matches.
 *
 * @param key the gateway key's name; null for any
 */
public record UsageFilter(Instant from, Instant to, String key, String model, String provider, String function, String outcome) {
}
