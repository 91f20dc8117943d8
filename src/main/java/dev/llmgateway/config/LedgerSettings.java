package dev.llmgateway.config;

import java.time.Duration;

/**
 * The usage ledger: where inferences are recorded, how rows wait for the database, and how long they are kept.
 *
 * @param dataSource        the JNDI name of a data source the server defines; null for the embedded database
 * @param embeddedPath      the embedded H2 database's file, without its {@code .mv.db} suffix
 * @param queueCapacity     rows waiting for the database at most; past it a row is dropped and counted
 * @param batchSize         rows written in one transaction at most
 * @param flushInterval     how long the writer waits for a batch to fill
 * @param maxWait           how long a row may wait for the database before it is dropped and counted
 * @param retentionDays     rows older than this are deleted; 0 keeps them
 * @param retentionInterval how often the retention runs
 * @param traceUrl          a trace viewer's URL with {@code {trace_id}}, shown with each inference; null for none
 */
public record LedgerSettings(boolean enabled, String dataSource, String embeddedPath, int queueCapacity, int batchSize,
                             Duration flushInterval, Duration maxWait, int retentionDays, Duration retentionInterval, String traceUrl) {

    public static final LedgerSettings OFF = new LedgerSettings(false, null, "llm-gateway-ledger", 1, 1, Duration.ofMillis(200),
            Duration.ofMinutes(1), 0, Duration.ofHours(1), null);

    /** Whether rows go to the embedded database rather than one the server defines. */
    public boolean embedded() {
        return dataSource == null;
    }
}
