package dev.llmgateway.keys;

import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

import java.nio.file.Path;

/** The ledger's schema, keys and counters included, in an H2 file of a test's own. */
final class KeysDatabase {

    private KeysDatabase() {
    }

    static JdbcConnectionPool open(Path directory) {
        JdbcConnectionPool pool = JdbcConnectionPool.create("jdbc:h2:file:" + directory.resolve("keys").toAbsolutePath() + ";DB_CLOSE_ON_EXIT=FALSE", "gateway", "");
        pool.setMaxConnections(16);
        Flyway.configure(KeysDatabase.class.getClassLoader()).dataSource(pool).locations("classpath:db/ledger").table("gateway_schema_history")
                .load().migrate();
        return pool;
    }
}
