package dev.llmgateway.keys;

import dev.llmgateway.json.Json;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The keys' and teams' tables, in plain JDBC on the ledger's data source. Every change takes the next revision of one
 * counter in its own transaction, so an instance that read revision N and then the tables has seen every change up to N.
 */
final class KeyStore {

    static final int QUERY_TIMEOUT_SECONDS = 5;
    private static final int NAME_TRIES = 1;
    private static final String COLUMNS = "id, name, team, secret_sha256, secret_hint, metadata, models, functions, limits, created_at, updated_at,"
            + " expires_at, revoked_at, revision";

    private final DataSource dataSource;

    KeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** The revision of the last change to any key or team: what changed shows here. */
    long revision() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = timed(connection.prepareStatement("SELECT revision FROM gateway_key_revision WHERE id = 1"));
             ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    List<VirtualKey> keys() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = timed(connection.prepareStatement("SELECT " + COLUMNS + " FROM gateway_key ORDER BY name"));
             ResultSet rows = query.executeQuery()) {
            List<VirtualKey> keys = new ArrayList<>();
            while (rows.next()) {
                keys.add(key(rows));
            }
            return keys;
        }
    }

    Optional<VirtualKey> key(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = timed(connection.prepareStatement("SELECT " + COLUMNS + " FROM gateway_key WHERE id = ?"))) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(key(rows)) : Optional.empty();
            }
        }
    }

    List<Team> teams() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = timed(connection.prepareStatement("SELECT name, limits, revision FROM gateway_team ORDER BY name"));
             ResultSet rows = query.executeQuery()) {
            List<Team> teams = new ArrayList<>();
            while (rows.next()) {
                teams.add(new Team(rows.getString(1), Limits.stored(rows.getString(2)), rows.getLong(3)));
            }
            return teams;
        }
    }

    /** Adds {@code key}; false when its name is taken. */
    boolean insert(VirtualKey key) throws SQLException {
        return withNextRevision((connection, revision) -> {
            try (PreparedStatement insert = timed(connection.prepareStatement("INSERT INTO gateway_key (" + COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"))) {
                insert.setString(1, key.id());
                insert.setString(2, key.name());
                insert.setString(3, key.team());
                insert.setString(4, key.sha256());
                insert.setString(5, key.hint());
                insert.setString(6, key.metadata());
                insert.setString(7, names(key.models()));
                insert.setString(8, names(key.functions()));
                insert.setString(9, key.limits().isEmpty() ? null : Json.toText(key.limits().toJson()));
                time(insert, 10, key.createdAt());
                time(insert, 11, key.updatedAt());
                time(insert, 12, key.expiresAt());
                time(insert, 13, null);
                insert.setLong(14, revision);
                return insert.executeUpdate() == 1;
            }
        }, () -> nameTaken(key.name()));
    }

    /**
     * Writes what an update may change (team, metadata, models, functions, limits, expiry) over the key as it stood at
     * {@code seen}; false when there is no such key, or it changed since (another instance's write is never overwritten).
     */
    boolean update(VirtualKey key, long seen) throws SQLException {
        return withNextRevision((connection, revision) -> {
            try (PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_key SET team = ?, metadata = ?, models = ?, functions = ?,"
                    + " limits = ?, expires_at = ?, updated_at = ?, revision = ? WHERE id = ? AND revision = ?"))) {
                update.setString(1, key.team());
                update.setString(2, key.metadata());
                update.setString(3, names(key.models()));
                update.setString(4, names(key.functions()));
                update.setString(5, key.limits().isEmpty() ? null : Json.toText(key.limits().toJson()));
                time(update, 6, key.expiresAt());
                time(update, 7, Instant.now());
                update.setLong(8, revision);
                update.setString(9, key.id());
                update.setLong(10, seen);
                return update.executeUpdate() == 1;
            }
        }, () -> false);
    }

    /** Revokes the key at {@code now}, once; false when there is no such key (a revoked one stays revoked). */
    boolean revoke(String id, Instant now) throws SQLException {
        return withNextRevision((connection, revision) -> {
            try (PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_key SET revoked_at = COALESCE(revoked_at, ?), updated_at = ?,"
                    + " revision = ? WHERE id = ?"))) {
                time(update, 1, now);
                time(update, 2, now);
                update.setLong(3, revision);
                update.setString(4, id);
                return update.executeUpdate() == 1;
            }
        }, () -> false);
    }

    /** Gives a key that is not revoked a new secret, the old one refused from then on; false when there is none such. */
    boolean rotate(String id, String sha256, String hint) throws SQLException {
        return withNextRevision((connection, revision) -> {
            try (PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_key SET secret_sha256 = ?, secret_hint = ?, updated_at = ?,"
                    + " revision = ? WHERE id = ? AND revoked_at IS NULL"))) {
                update.setString(1, sha256);
                update.setString(2, hint);
                time(update, 3, Instant.now());
                update.setLong(4, revision);
                update.setString(5, id);
                return update.executeUpdate() == 1;
            }
        }, () -> false);
    }

    /** Sets a team's limits, making the team when it is new. */
    void putTeam(String name, Limits limits) throws SQLException {
        String text = limits.isEmpty() ? null : Json.toText(limits.toJson());
        withNextRevision((connection, revision) -> {
            try (PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_team SET limits = ?, updated_at = ?, revision = ? WHERE name = ?"))) {
                update.setString(1, text);
                time(update, 2, Instant.now());
                update.setLong(3, revision);
                update.setString(4, name);
                if (update.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement insert = timed(connection.prepareStatement("INSERT INTO gateway_team (name, limits, updated_at, revision) VALUES (?, ?, ?, ?)"))) {
                insert.setString(1, name);
                insert.setString(2, text);
                time(insert, 3, Instant.now());
                insert.setLong(4, revision);
                return insert.executeUpdate() == 1;
            }
        }, () -> false);
    }

    private boolean nameTaken(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = timed(connection.prepareStatement("SELECT 1 FROM gateway_key WHERE name = ?"))) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /**
     * Runs a write in a transaction of its own that first takes the next revision: the counter's row lock orders writers
     * across instances, and the change and its revision commit together. A unique index refusing the write (two teams
     * made at once, a name taken) is tried once more, then {@code conflict} says whether it means the write cannot be
     * done (a name taken: false).
     */
    private boolean withNextRevision(Write write, Check conflict) throws SQLException {
        for (int attempt = 0; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                boolean auto = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    long revision;
                    try (PreparedStatement next = timed(connection.prepareStatement("UPDATE gateway_key_revision SET revision = revision + 1 WHERE id = 1"))) {
                        next.executeUpdate();
                    }
                    try (PreparedStatement read = timed(connection.prepareStatement("SELECT revision FROM gateway_key_revision WHERE id = 1"));
                         ResultSet row = read.executeQuery()) {
                        row.next();
                        revision = row.getLong(1);
                    }
                    boolean done = write.run(connection, revision);
                    if (done) {
                        connection.commit();
                    } else {
                        connection.rollback(); // nothing changed: the revision stays where it was
                    }
                    return done;
                } catch (SQLException e) {
                    connection.rollback();
                    if (!isUniqueViolation(e)) {
                        throw e;
                    }
                    if (conflict.holds()) {
                        return false;
                    }
                    if (attempt >= NAME_TRIES) {
                        throw e;
                    }
                } finally {
                    connection.setAutoCommit(auto);
                }
            }
        }
    }

    static boolean isUniqueViolation(SQLException e) {
        for (SQLException sql = e; sql != null; sql = sql.getNextException()) {
            if ("23505".equals(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    private static VirtualKey key(ResultSet row) throws SQLException {
        return new VirtualKey(row.getString(1), row.getString(2), row.getString(3), row.getString(4), row.getString(5), row.getString(6),
                names(row.getString(7)), names(row.getString(8)), Limits.stored(row.getString(9)), instant(row, 10), instant(row, 11),
                instant(row, 12), instant(row, 13), row.getLong(14));
    }

    static PreparedStatement timed(PreparedStatement statement) throws SQLException {
        statement.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
        return statement;
    }

    /** Names kept one per line: the admin API allows no line breaks in them. */
    private static String names(Set<String> names) {
        return names.isEmpty() ? null : String.join("\n", names);
    }

    private static Set<String> names(String text) {
        return text == null || text.isEmpty() ? Set.of() : new LinkedHashSet<>(List.of(text.split("\n")));
    }

    static LocalDateTime utc(Instant instant) {
        return instant == null ? null : LocalDateTime.ofInstant(instant, ZoneOffset.UTC);
    }

    private static void time(PreparedStatement statement, int parameter, Instant instant) throws SQLException {
        if (instant == null) {
            statement.setNull(parameter, java.sql.Types.TIMESTAMP);
        } else {
            statement.setObject(parameter, utc(instant));
        }
    }

    private static Instant instant(ResultSet row, int column) throws SQLException {
        LocalDateTime time = row.getObject(column, LocalDateTime.class);
        return time == null ? null : time.toInstant(ZoneOffset.UTC);
    }

    @FunctionalInterface
    interface Write {
        boolean run(Connection connection, long revision) throws SQLException;
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws SQLException;
    }
}
