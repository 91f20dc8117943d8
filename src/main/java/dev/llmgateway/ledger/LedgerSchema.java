package dev.llmgateway.ledger;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;

import javax.sql.DataSource;

/** The ledger's tables, versioned in {@code db/ledger} and brought up to date before the first row is written. */
final class LedgerSchema {

    static final String HISTORY_TABLE = "gateway_schema_history";

    private LedgerSchema() {
    }

    /** Applies the migrations the database lacks; nothing when it has them all. Returns the schema's version. */
    static String migrate(DataSource dataSource) {
        MigrateResult result = Flyway.configure(LedgerSchema.class.getClassLoader())
                .dataSource(dataSource)
                .locations("classpath:db/ledger")
                .table(HISTORY_TABLE)
                .baselineOnMigrate(false)
                .load()
                .migrate();
        return result.targetSchemaVersion != null ? result.targetSchemaVersion : result.initialSchemaVersion;
    }
}
