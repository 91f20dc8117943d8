package dev.llmgateway.keys;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.KeySettings;
import dev.llmgateway.ledger.Ledger;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import javax.sql.DataSource;
import java.sql.SQLException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Every virtual key of the ledger's database, held in memory by digest: a request's key is found without a query, and
 * an unknown one refused without one. One thread reads the tables' revisions every {@code gateway.keys.refresh-ms} and
 * reloads them on a change, so a key revoked or changed on any instance takes effect here within that interval.
 */
@ApplicationScoped
public class VirtualKeys {

    private static final Logger LOG = Logger.getLogger(VirtualKeys.class.getName());
    private static final long COUNTER_CLEANUP_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** What the registry knows of a presented key. */
    public enum State { OFF, LOADING, LOADED }

    @Inject
    GatewaySettings gateway;

    @Inject
    Ledger ledger;

    private KeySettings settings = KeySettings.DEFAULTS;
    private volatile State state = State.OFF;
    private volatile Map<String, VirtualKey> bySecret = Map.of();
    private volatile Map<String, VirtualKey> byId = Map.of();
    private volatile Map<String, Team> teams = Map.of();
    private volatile boolean up;
    private volatile KeyStore store;
    private volatile LimitCounters counters;
    private volatile boolean running;
    private long seen = -1;
    private Thread refresher;

    /** Made at startup: with the admin key (how keys are made) and the ledger on, the keys load as soon as its database answers. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        settings = gateway.keys();
        if (gateway.auth().adminSha256() == null || !gateway.ledger().enabled()) {
            return;
        }
        state = State.LOADING;
        running = true;
        refresher = new Thread(this::refresh, "llm-gateway-keys");
        refresher.setDaemon(true);
        refresher.start();
    }

    public State state() {
        return state;
    }

    /** Whether the keys' database answered the last read. */
    public boolean up() {
        return up;
    }

    /** Whether any virtual key exists (revoked or not): then the API needs a key even with none configured. */
    public boolean anyKeys() {
        return !byId.isEmpty();
    }

    /** The key whose secret has {@code sha256} as its digest, usable or not; null when there is none. */
    public VirtualKey bySecretDigest(byte[] sha256) {
        return bySecret.get(HexFormat.of().formatHex(sha256));
    }

    /** Whether {@code key} opens the gateway now: not revoked, not expired. */
    public boolean usable(VirtualKey key) {
        return key.usable(Instant.now());
    }

    VirtualKey byId(String id) {
        return byId.get(id);
    }

    Map<String, VirtualKey> all() {
        return byId;
    }

    /** The limits of {@code team}; none when it has no row. */
    Limits teamLimits(String team) {
        Team found = team == null ? null : teams.get(team);
        return found == null ? Limits.NONE : found.limits();
    }

    Map<String, Team> teams() {
        return teams;
    }

    /** The store once the database answered; null before (or with virtual keys off). */
    KeyStore store() {
        return store;
    }

    LimitCounters counters() {
        return counters;
    }

    /** Reads the tables again now, after this instance changed them, so that its own answer already holds. */
    void reload() throws SQLException {
        load(store);
    }

    private void refresh() {
        long nextCleanup = System.nanoTime();
        long backoff = settings.refresh().toMillis();
        while (running) {
            try {
                if (store == null && ledger.withoutDataSource()) {
                    // the keys may exist and cannot be read: what is not a configured key waits (503), never passes
                    running = false;
                    LOG.severe("Virtual keys cannot be read: the ledger's data source cannot be looked up; only configured keys are"
                            + " answered, every other request gets 503 keys_loading");
                    return;
                }
                if (store == null) {
                    DataSource database = ledger.database();
                    if (database != null) {
                        store = new KeyStore(database);
                        counters = new LimitCounters(database);
                    }
                }
                if (store != null) {
                    long revision = store.revision(); // read before the tables: a change committed meanwhile is read again next time
                    if (revision != seen) {
                        load(store);
                        seen = revision;
                    }
                    if (!up) {
                        LOG.info(() -> "Virtual keys: " + byId.size() + " key(s) and " + teams.size() + " team(s) loaded; read again every "
                                + settings.refresh().toMillis() + " ms");
                    }
                    up = true;
                    backoff = settings.refresh().toMillis();
                    if (System.nanoTime() - nextCleanup > 0) {
                        nextCleanup = System.nanoTime() + COUNTER_CLEANUP_NANOS;
                        counters.deleteEnded(Instant.now().getEpochSecond() - 3600);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                if (up) {
                    LOG.warning(() -> "Virtual keys: the database does not answer (" + e + "); the keys as last read stay in force, changes"
                            + " made on other instances wait until it answers");
                }
                up = false;
                backoff = Math.min(5_000, backoff * 2);
            }
            pause(backoff);
        }
    }

    private synchronized void load(KeyStore from) throws SQLException {
        List<VirtualKey> keys = from.keys();
        List<Team> loadedTeams = from.teams();
        Map<String, VirtualKey> secrets = new HashMap<>();
        Map<String, VirtualKey> ids = new HashMap<>();
        for (VirtualKey key : keys) {
            ids.put(key.id(), key);
            if (key.revokedAt() == null) {
                secrets.put(key.sha256(), key);
            }
        }
        Map<String, Team> named = new HashMap<>();
        loadedTeams.forEach(team -> named.put(team.name(), team));
        bySecret = Map.copyOf(secrets);
        byId = Map.copyOf(ids);
        teams = Map.copyOf(named);
        state = State.LOADED;
    }

    private void pause(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    @PreDestroy
    void stop() {
        running = false;
        if (refresher != null) {
            refresher.interrupt();
        }
    }
}
