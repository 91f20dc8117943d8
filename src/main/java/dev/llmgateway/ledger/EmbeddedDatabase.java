package dev.llmgateway.ledger;

import org.h2.jdbcx.JdbcConnectionPool;

import javax.sql.DataSource;
import java.nio.file.Path;

/** The ledger's default: an H2 file database beside the server, opened by the gateway itself, nothing to set up. */
final class EmbeddedDatabase implements AutoCloseable {

    private final JdbcConnectionPool pool;

    private EmbeddedDatabase(JdbcConnectionPool pool) {
        this.pool = pool;
    }

    /** The database in {@code file}.mv.db; closed with the last connection, so an undeployed gateway leaves it unlocked. */
    static EmbeddedDatabase open(Path file) {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + file.toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE", "gateway", "");
        pool.setMaxConnections(8);
        return new EmbeddedDatabase(pool);
    }

    DataSource dataSource() {
        return pool;
    }

    @Override
    public void close() {
        pool.dispose();
    }
}
