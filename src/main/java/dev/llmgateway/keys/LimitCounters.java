package dev.llmgateway.keys;

import javax.sql.DataSource;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import static dev.llmgateway.keys.KeyStore.timed;

/**
 * The shared side of the limits: how much of each limit's window the instances have leased together. A lease takes the
 * counter's row lock for one short transaction and never grants past the limit, so while the database answers the
 * instances together never admit more than a limit allows.
 */
final class LimitCounters {

    private final DataSource dataSource;

    LimitCounters(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Leases up to {@code wanted} of the limit's window, never past {@code limit}.
     *
     * @return what was granted (0 when the window is spent) and what the instances hold of it now
     */
    Lease lease(String scope, LimitKind kind, long windowStart, double wanted, double limit) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            boolean auto = connection.getAutoCommit();
            connection.setAutoCommit(false);
            try {
                Lease lease = leaseIn(connection, scope, kind, windowStart, wanted, limit);
                connection.commit();
                return lease;
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                if (e instanceof SQLException sql && KeyStore.isUniqueViolation(sql)) {
                    // another instance made the window's row at the same moment: it exists now
                    return lease(scope, kind, windowStart, wanted, limit);
                }
                throw e;
            } finally {
                connection.setAutoCommit(auto);
            }
        }
    }

    private static Lease leaseIn(Connection connection, String scope, LimitKind kind, long windowStart, double wanted, double limit) throws SQLException {
        BigDecimal held = null;
        try (PreparedStatement select = timed(connection.prepareStatement(
                "SELECT granted FROM gateway_limit_counter WHERE scope = ? AND limit_kind = ? AND window_start = ? FOR UPDATE"))) {
            bind(select, scope, kind, windowStart);
            try (ResultSet row = select.executeQuery()) {
                if (row.next()) {
                    held = row.getBigDecimal(1);
                }
            }
        }
        double before = held == null ? 0 : held.doubleValue();
        double granted = Math.max(0, Math.min(wanted, limit - before));
        if (held == null) {
            try (PreparedStatement insert = timed(connection.prepareStatement(
                    "INSERT INTO gateway_limit_counter (scope, limit_kind, window_start, granted) VALUES (?, ?, ?, ?)"))) {
                bind(insert, scope, kind, windowStart);
                insert.setBigDecimal(4, amount(granted));
                insert.executeUpdate();
            }
        } else if (granted > 0) {
            try (PreparedStatement update = timed(connection.prepareStatement(
                    "UPDATE gateway_limit_counter SET granted = granted + ? WHERE scope = ? AND limit_kind = ? AND window_start = ?"))) {
                update.setBigDecimal(1, amount(granted));
                update.setString(2, scope);
                update.setString(3, kind.key());
                update.setLong(4, windowStart);
                update.executeUpdate();
            }
        }
        return new Lease(granted, before + granted);
    }

    /** Gives back what an instance leased and did not spend (it stops, or its estimate was too high and the window is open). */
    void giveBack(String scope, LimitKind kind, long windowStart, double amount) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement update = timed(connection.prepareStatement("UPDATE gateway_limit_counter SET granted = CASE WHEN granted > ? THEN granted - ?"
                     + " ELSE 0 END WHERE scope = ? AND limit_kind = ? AND window_start = ?"))) {
            update.setBigDecimal(1, amount(amount));
            update.setBigDecimal(2, amount(amount));
            update.setString(3, scope);
            update.setString(4, kind.key());
            update.setLong(5, windowStart);
            update.executeUpdate();
        }
    }

    /** Deletes the windows of second and minute limits that ended before {@code before} (epoch seconds). */
    int deleteEnded(long before) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement delete = timed(connection.prepareStatement("DELETE FROM gateway_limit_counter WHERE window_start < ? AND limit_kind IN (?, ?, ?)"))) {
            delete.setLong(1, before);
            delete.setString(2, LimitKind.REQUESTS_PER_SECOND.key());
            delete.setString(3, LimitKind.REQUESTS_PER_MINUTE.key());
            delete.setString(4, LimitKind.TOKENS_PER_MINUTE.key());
            return delete.executeUpdate();
        }
    }

    private static void bind(PreparedStatement statement, String scope, LimitKind kind, long windowStart) throws SQLException {
        statement.setString(1, scope);
        statement.setString(2, kind.key());
        statement.setLong(3, windowStart);
    }

    private static BigDecimal amount(double value) {
        return BigDecimal.valueOf(value).setScale(9, java.math.RoundingMode.HALF_UP);
    }

    /** What one lease granted, and what the instances together hold of the window after it. */
    record Lease(double granted, double held) {
    }
}
