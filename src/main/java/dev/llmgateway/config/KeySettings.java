package dev.llmgateway.config;

import java.time.Duration;

/**
 * Virtual keys (kept in the ledger's database) and the limits they carry.
 *
 * @param refresh           how often each instance reads the keys again: a key revoked on another instance is refused
 *                          here within this (plus one query)
 * @param slicePercent      the share of a limit one instance leases from the database at once (1–100); the instances
 *                          sharing a database may refuse early by at most their slices outstanding
 * @param rateFailOpen      whether request and token limits admit calls once the database cannot lease and the slices
 *                          held are spent
 * @param budgetFailOpen    the same for spend budgets
 * @param defaultMaxTokens  the output a request is estimated to produce when it names no maximum
 * @param labelledKeys      key names that get a label value of their own on metrics; the rest are {@code _OTHER}
 */
public record KeySettings(Duration refresh, int slicePercent, boolean rateFailOpen, boolean budgetFailOpen, int defaultMaxTokens, int labelledKeys) {

    public static final KeySettings DEFAULTS = new KeySettings(Duration.ofMillis(500), 10, true, false, 4096, 100);
}
