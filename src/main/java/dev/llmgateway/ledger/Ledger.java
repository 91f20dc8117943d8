package dev.llmgateway.ledger;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.LedgerSettings;
import dev.llmgateway.metrics.GatewayMetrics;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import javax.naming.InitialContext;
import javax.naming.NamingException;
import javax.sql.DataSource;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The usage ledger: rows wait in a bounded queue and one writer thread puts them in the database in batches, so a
 * request only ever pays for the enqueue. A database that is down, hung, slow or refusing holds rows up to the queue's
 * capacity and {@code gateway.ledger.max-wait-ms}; past either they are dropped and counted, and writing resumes when
 * the database answers again. Neither readiness nor liveness depends on it.
 */
@ApplicationScoped
public class Ledger {

    private static final Logger LOG = Logger.getLogger(Ledger.class.getName());
    private static final long MAX_BACKOFF_MS = 5_000;
    private static final long SHUTDOWN_FLUSH_MS = 5_000;
    private static final int RETENTION_BATCH = 5_000;
    private static final int RETENTION_BATCHES_PER_RUN = 10;

    @Inject
    GatewaySettings gateway;

    @Inject
    GatewayMetrics metrics;

    private LedgerSettings settings = LedgerSettings.OFF;
    private BlockingQueue<InferenceRecord> queue = new ArrayBlockingQueue<>(1);
    private DataSource dataSource;
    private EmbeddedDatabase embedded;
    private volatile LedgerStore store;
    private volatile boolean accepting;
    private volatile boolean running;
    private volatile boolean up;
    private volatile boolean noDataSource;
    private volatile String unavailable = "the ledger is off (gateway.ledger.enabled=false)";
    private Thread writer;
    private long lastDownLog;
    private final java.util.concurrent.atomic.AtomicLong droppedSinceLog = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong lastDropLog = new java.util.concurrent.atomic.AtomicLong();
    /** Characters of captured content in queued rows; past {@link #MAX_QUEUED_CONTENT} a row waits without its content. */
    private final java.util.concurrent.atomic.AtomicLong queuedContent = new java.util.concurrent.atomic.AtomicLong();
    static final long MAX_QUEUED_CONTENT = 16L * 1024 * 1024;

    /** Made at startup: the data source is looked up on a thread of the application, the writer started. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        settings = gateway.ledger();
        metrics.ledgerGauges(() -> queue.size(), () -> up);
        if (!settings.enabled()) {
            return;
        }
        try {
            dataSource = settings.embedded() ? (embedded = EmbeddedDatabase.open(Path.of(settings.embeddedPath()))).dataSource() : lookUp(settings.dataSource());
        } catch (NamingException | RuntimeException e) {
            unavailable = "the ledger's data source is not available: " + e;
            noDataSource = true;
            LOG.severe(() -> "Usage ledger off: data source " + settings.dataSource() + " cannot be looked up (" + e + "); inferences are not recorded");
            return;
        }
        queue = new ArrayBlockingQueue<>(settings.queueCapacity());
        unavailable = "the ledger's database has not answered yet";
        accepting = running = true;
        writer = new Thread(this::write, "llm-gateway-ledger");
        writer.setDaemon(true);
        writer.start();
        LOG.info(() -> "Usage ledger: recording to " + (settings.embedded() ? "the embedded database " + Path.of(settings.embeddedPath()).toAbsolutePath() + ".mv.db"
                : "data source " + settings.dataSource()));
    }

    private static DataSource lookUp(String name) throws NamingException {
        Object found = new InitialContext().lookup(name);
        if (found instanceof DataSource dataSource) {
            return dataSource;
        }
        throw new NamingException(name + " is a " + found.getClass().getName() + ", not a javax.sql.DataSource");
    }

    /** Queues {@code row} for the writer; a full queue drops it, counted, without waiting. */
    void record(InferenceRecord row) {
        if (!accepting) {
            return;
        }
        row.enqueuedNanos = System.nanoTime();
        long content = row.contentChars();
        if (content > 0 && queuedContent.addAndGet(content) > MAX_QUEUED_CONTENT) {
            queuedContent.addAndGet(-content);
            row.withoutContent(); // the row still counts; a backlog of prompts must not fill the heap
            content = 0;
        }
        if (!queue.offer(row)) {
            queuedContent.addAndGet(-content);
            dropped("queue_full", 1);
        }
    }

    /** The store once the database has answered and its schema is current; else empty, with why in {@link #unavailable()}. */
    LedgerStore store() {
        return store;
    }

    String unavailable() {
        return unavailable;
    }

    /** The ledger's data source once its schema is current (virtual keys and their limits live there too); else null. */
    public DataSource database() {
        return store == null ? null : dataSource;
    }

    /** Whether the ledger found no data source at startup: it will never record, nor hold anything else. */
    public boolean withoutDataSource() {
        return noDataSource;
    }

    LedgerSettings settings() {
        return settings;
    }

    private void write() {
        List<InferenceRecord> batch = new ArrayList<>(settings.batchSize());
        long backoff = 250;
        long nextRetention = 0;
        long stopBy = Long.MAX_VALUE;
        while (true) {
            if (!running) {
                stopBy = Math.min(stopBy, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(SHUTDOWN_FLUSH_MS));
                if ((batch.isEmpty() && queue.isEmpty()) || System.nanoTime() > stopBy || store == null) {
                    break;
                }
            }
            expire(batch);
            if (store == null && !open()) {
                backoff = pause(backoff);
                continue;
            }
            if (batch.isEmpty()) {
                take(batch);
            }
            if (!batch.isEmpty()) {
                if (writeBatch(batch)) {
                    backoff = 250;
                } else {
                    backoff = pause(backoff);
                    continue;
                }
            }
            if (settings.retentionDays() > 0 && System.nanoTime() - nextRetention > 0) {
                boolean more = retain();
                nextRetention = System.nanoTime() + (more ? TimeUnit.SECONDS.toNanos(5) : settings.retentionInterval().toNanos());
            }
        }
        int left = batch.size() + queue.size();
        if (left > 0) {
            dropped("shutdown", left);
        }
    }

    /** Migrates the schema and opens the persistence unit; false while the database does not answer. */
    private boolean open() {
        try {
            String version = LedgerSchema.migrate(dataSource);
            store = LedgerStore.open(dataSource, settings.batchSize());
            up = true;
            unavailable = null;
            LOG.info(() -> "Usage ledger: schema version " + version + ", writing");
            return true;
        } catch (RuntimeException | LinkageError e) {
            down(e);
            return false;
        }
    }

    private void take(List<InferenceRecord> batch) {
        try {
            InferenceRecord first = queue.poll(settings.flushInterval().toMillis(), TimeUnit.MILLISECONDS);
            if (first != null) {
                batch.add(first);
                queue.drainTo(batch, settings.batchSize() - 1);
                long content = 0;
                for (InferenceRecord row : batch) {
                    content += row.contentChars();
                }
                queuedContent.addAndGet(-content);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    /**
     * Writes the batch. A database that refuses a row (a data or constraint error) has the batch's rows tried one by one
     * and the refused dropped; any other failure (gone, hung, a broken connection) keeps the batch for the next try.
     */
    private boolean writeBatch(List<InferenceRecord> batch) {
        try {
            store.write(batch);
            written(batch.size());
            batch.clear();
            return true;
        } catch (RuntimeException e) {
            metrics.ledgerWriteFailed();
            if (!refusesRows(e)) {
                down(e);
                return false;
            }
            int rejected = 0;
            for (var rows = batch.iterator(); rows.hasNext(); ) {
                InferenceRecord row = rows.next();
                try {
                    store.write(List.of(row));
                    written(1);
                } catch (RuntimeException refused) {
                    if (!refusesRows(refused)) {
                        down(refused);
                        dropped("rejected", rejected);
                        return false;
                    }
                    rejected++;
                    LOG.log(Level.FINE, "Ledger row refused", refused);
                }
                rows.remove();
            }
            int count = rejected;
            LOG.warning(() -> "Usage ledger: the database refused " + count + " row(s): " + rootMessage(e));
            dropped("rejected", rejected);
            return true;
        }
    }

    /** Whether the database answered and refused the data (SQLSTATE class 22 or 23), rather than failed to answer. */
    static boolean refusesRows(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            // a batch's failure names the refused statement's state itself, or in the exception it chains
            for (SQLException sql = cause instanceof SQLException first ? first : null; sql != null; sql = sql.getNextException()) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
                    return true;
                }
            }
        }
        return false;
    }

    private void written(int rows) {
        metrics.ledgerWritten(rows);
        if (!up) {
            up = true;
            unavailable = null;
            LOG.info("Usage ledger: the database takes rows again");
        }
    }

    /** The database failed the writer: said once per outage, and again whenever the reason changes (at most every 10 s). */
    private void down(Throwable failure) {
        String why = rootMessage(failure);
        long now = System.nanoTime();
        if (up || unavailable == null || !unavailable.endsWith(why) && now - lastDownLog > TimeUnit.SECONDS.toNanos(10)) {
            lastDownLog = now;
            LOG.log(Level.WARNING, "Usage ledger: the database does not take rows (" + why + "); rows wait up to "
                    + settings.maxWait().toMillis() + " ms and " + settings.queueCapacity() + " rows, then are dropped and counted", LOG.isLoggable(Level.FINE) ? failure : null);
        }
        up = false;
        unavailable = "the ledger's database does not answer: " + why;
    }

    /** Drops rows that waited longer than the bound, oldest first, from the batch in hand and the queue. */
    private void expire(List<InferenceRecord> batch) {
        long oldest = System.nanoTime() - settings.maxWait().toNanos();
        int expired = 0;
        for (var rows = batch.iterator(); rows.hasNext(); ) {
            if (rows.next().enqueuedNanos - oldest < 0) {
                rows.remove();
                expired++;
            }
        }
        InferenceRecord head;
        while ((head = queue.peek()) != null && head.enqueuedNanos - oldest < 0 && queue.remove(head)) {
            queuedContent.addAndGet(-head.contentChars());
            expired++;
        }
        if (expired > 0) {
            dropped("waited_too_long", expired);
        }
    }

    /** Deletes old rows, a few batches at a time between the writes; true when more remain. */
    private boolean retain() {
        var cutoff = java.time.LocalDateTime.now(java.time.ZoneOffset.UTC).minusDays(settings.retentionDays());
        try {
            int deleted;
            long total = 0;
            int batches = 0;
            do {
                deleted = store.deleteOlderThan(cutoff, RETENTION_BATCH);
                total += deleted;
            } while (deleted > 0 && running && ++batches < RETENTION_BATCHES_PER_RUN);
            if (total > 0) {
                long count = total;
                LOG.info(() -> "Usage ledger: deleted " + count + " row(s) older than " + settings.retentionDays() + " days");
            }
            return deleted > 0;
        } catch (RuntimeException e) {
            LOG.warning(() -> "Usage ledger: retention failed (" + rootMessage(e) + "); it runs again in " + settings.retentionInterval().toMinutes() + " min");
            return false;
        }
    }

    /** Counts dropped rows; logs at most once a minute, without a lock (listeners of many requests may drop at once). */
    private void dropped(String reason, int rows) {
        if (rows == 0) {
            return;
        }
        metrics.ledgerDropped(reason, rows);
        droppedSinceLog.addAndGet(rows);
        long now = System.currentTimeMillis();
        long last = lastDropLog.get();
        if (now - last > 60_000 && lastDropLog.compareAndSet(last, now)) {
            long count = droppedSinceLog.getAndSet(0);
            LOG.warning(() -> "Usage ledger: " + count + " row(s) dropped (" + reason + "; gateway_ledger_rows_dropped_total counts them by reason)");
        }
    }

    private long pause(long backoff) {
        try {
            Thread.sleep(backoff);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return Math.min(MAX_BACKOFF_MS, backoff * 2);
    }

    static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getClass().getSimpleName() + ": " + root.getMessage();
        return message.length() > 300 ? message.substring(0, 300) + "…" : message;
    }

    @PreDestroy
    void stop() {
        accepting = false;
        running = false;
        if (writer != null) {
            try {
                writer.join(SHUTDOWN_FLUSH_MS + LedgerStore.QUERY_TIMEOUT_SECONDS * 1000L);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        LedgerStore open = store;
        store = null;
        if (open != null) {
            open.close();
        }
        if (embedded != null) {
            embedded.close();
        }
    }
}
