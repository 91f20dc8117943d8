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
 * The keys' and teams' tables, in plain JDBC on the ledger's data source. Every change takes the table's next revision
 * (unique), so an instance that saw revision N and the same count has seen every change up to N.
 */
final class KeyStore {

    static final int QUERY_TIMEOUT_SECONDS = 5;
    private static final int REVISION_TRIES = 5;
    private static final String COLUMNS = "id, name, team, secret_sha256, secret_hint, metadata, models, functions, limits, created_at, updated_at,"
            + " expires_at, revoked_at, revision";
    private static final String NEXT_KEY_REVISION = "(SELECT COALESCE(MAX(revision), 0) + 1 FROM gateway_key)";

    private final DataSource dataSource;

    KeyStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    DataSource dataSource() {
        return dataSource;
    }

    /** The highest revision and the number of rows of the keys' and the teams' tables: what changed shows here. */
    long[] revisions() throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement query = timed(connection.prepareStatement("SELECT (SELECT COALESCE(MAX(revision), 0) FROM gateway_key),"
                     + " (SELECT COUNT(*) FROM gateway_key), (SELECT COALESCE(MAX(revision), 0) FROM gateway_team), (SELECT COUNT(*) FROM gateway_team)"));
             ResultSet row = query.executeQuery()) {
            row.next();
            return new long[] {row.getLong(1), row.getLong(2), row.getLong(3), row.getLong(4)};
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
        return withNextRevision(connection -> {
            try (PreparedStatement insert = timed(connection.prepareStatement("INSERT INTO gateway_key (" + COLUMNS + ") VALUES"
                    + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, " + NEXT_KEY_REVISION + ")"))) {
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
                return insert.executeUpdate() == 1;
            }
        }, () -> nameTaken(key.name()));
    }

    /** Writes what an update may change (team, metadata, models, functions, limits, expiry); false when there is no such key. */
    boolean update(VirtualKey key) throws SQLException {
        return withNextRevision(connection -> {
            try (PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_key SET team = ?, metadata = ?, models = ?, functions = ?,"
                    + " limits = ?, expires_at = ?, updated_at = ?, revision = " + NEXT_KEY_REVISION + " WHERE id = ?"))) {
                update.setString(1, key.team());
                update.setString(2, key.metadata());
                update.setString(3, names(key.models()));
                update.setString(4, names(key.functions()));
                update.setString(5, key.limits().isEmpty() ? null : Json.toText(key.limits().toJson()));
                time(update, 6, key.expiresAt());
                time(update, 7, Instant.now());
                update.setString(8, key.id());
                return update.executeUpdate() == 1;
            }
        }, () -> false);
    }

    /** Revokes the key at {@code now}, once; false when there is no such key (a revoked one stays revoked). */
    boolean revoke(String id, Instant now) throws SQLException {
        return withNextRevision(connection -> {
            try (PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_key SET revoked_at = COALESCE(revoked_at, ?), updated_at = ?,"
                    + " revision = " + NEXT_KEY_REVISION + " WHERE id = ?"))) {
                time(update, 1, now);
                time(update, 2, now);
                update.setString(3, id);
                return update.executeUpdate() == 1;
            }
        }, () -> false);
    }

    /** Gives a key that is not revoked a new secret, the old one refused from then on; false when there is none such. */
    boolean rotate(String id, String sha256, String hint) throws SQLException {
        return withNextRevision(connection -> {
            try (PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_key SET secret_sha256 = ?, secret_hint = ?, updated_at = ?,"
                    + " revision = " + NEXT_KEY_REVISION + " WHERE id = ? AND revoked_at IS NULL"))) {
                update.setString(1, sha256);
                update.setString(2, hint);
                time(update, 3, Instant.now());
                update.setString(4, id);
                return update.executeUpdate() == 1;
            }
        }, () -> false);
    }

    /** Sets a team's limits, making the team when it is new. */
    void putTeam(String name, Limits limits) throws SQLException {
        String text = limits.isEmpty() ? null : Json.toText(limits.toJson());
        withNextRevision(connection -> {
            String next = "(SELECT COALESCE(MAX(revision), 0) + 1 FROM gateway_team)";
            try (PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_team SET limits = ?, updated_at = ?, revision = " + next
                    + " WHERE name = ?"))) {
                update.setString(1, text);
                time(update, 2, Instant.now());
                update.setString(3, name);
                if (update.executeUpdate() == 1) {
                    return true;
                }
            }
            try (PreparedStatement insert = timed(connection.prepareStatement("INSERT INTO gateway_team (name, limits, updated_at, revision) VALUES (?, ?, ?, "
                    + next + ")"))) {
                insert.setString(1, name);
                insert.setString(2, text);
                time(insert, 3, Instant.now());
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
     * Runs a write that takes the next revision in a transaction of its own, again when another instance took the same
     * revision at once (the unique index refuses the second); {@code conflict} says whether a refusal means the write
     * cannot be done (a name taken), which answers false.
     */
    private boolean withNextRevision(Write write, Check conflict) throws SQLException {
        for (int attempt = 1; ; attempt++) {
            try (Connection connection = dataSource.getConnection()) {
                boolean auto = connection.getAutoCommit();
                connection.setAutoCommit(false);
                try {
                    boolean done = write.run(connection);
                    connection.commit();
                    return done;
                } catch (SQLException e) {
                    connection.rollback();
                    if (!isUniqueViolation(e) || attempt >= REVISION_TRIES) {
                        throw e;
                    }
                    if (conflict.holds()) {
                        return false;
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
        boolean run(Connection connection) throws SQLException;
    }

    @FunctionalInterface
    interface Check {
        boolean holds() throws SQLException;
    }
}
