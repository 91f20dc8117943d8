package dev.llmgateway.ledger;

import jakarta.persistence.SharedCacheMode;
import jakarta.persistence.ValidationMode;
import jakarta.persistence.spi.ClassTransformer;
import jakarta.persistence.spi.PersistenceUnitInfo;
import jakarta.persistence.spi.PersistenceUnitTransactionType;

import javax.sql.DataSource;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Properties;

/**
 * The ledger's persistence unit, made in code over the data source chosen at startup (a JNDI name or the embedded
 * database), so that no persistence.xml binds the deployment to one data source. Local transactions; the schema
 * belongs to the migrations, never to the provider.
 */
final class LedgerUnit implements PersistenceUnitInfo {

    private static final String MARKER = "db/ledger/flyway.location";

    private final DataSource dataSource;
    private final Properties properties = new Properties();
    private final String name = "llm-gateway-ledger-" + java.util.UUID.randomUUID();

    LedgerUnit(DataSource dataSource, int batchSize) {
        this.dataSource = dataSource;
        properties.setProperty("eclipselink.target-server", "None");
        properties.setProperty("eclipselink.weaving", "false");
        properties.setProperty("eclipselink.cache.shared.default", "false");
        properties.setProperty("eclipselink.jdbc.batch-writing", "JDBC");
        properties.setProperty("eclipselink.jdbc.batch-writing.size", Integer.toString(batchSize));
        properties.setProperty("eclipselink.logging.level", "WARNING");
        properties.setProperty("eclipselink.logging.logger", "JavaLogger");
        properties.setProperty("eclipselink.ddl-generation", "none");
        // every statement, reads and writes, gives up on a database that does not answer (beside the data source's own socket timeout)
        properties.setProperty("jakarta.persistence.query.timeout", Integer.toString(LedgerStore.QUERY_TIMEOUT_SECONDS * 1000));
    }

    /**
     * A name of its own per unit made: the runtimes' provider keeps units by name server-wide, so a unit whose first login
     * failed (the database away) is never handed back, nor one of another deployment of the gateway.
     */
    @Override
    public String getPersistenceUnitName() {
        return name;
    }

    @Override
    public String getPersistenceProviderClassName() {
        return null;
    }

    @Override
    public PersistenceUnitTransactionType getTransactionType() {
        return PersistenceUnitTransactionType.RESOURCE_LOCAL;
    }

    @Override
    public DataSource getJtaDataSource() {
        return null;
    }

    @Override
    public DataSource getNonJtaDataSource() {
        return dataSource;
    }

    @Override
    public List<String> getMappingFileNames() {
        return List.of();
    }

    @Override
    public List<URL> getJarFileUrls() {
        return List.of();
    }

    /** The class path root holding the entities: a directory where the runtime unpacked the WAR, else their code source. */
    @Override
    public URL getPersistenceUnitRootUrl() {
        URL marker = getClassLoader().getResource(MARKER);
        if (marker != null && "file".equals(marker.getProtocol())) {
            try {
                String text = marker.toString();
                return URI.create(text.substring(0, text.length() - MARKER.length())).toURL();
            } catch (MalformedURLException | IllegalArgumentException e) {
                // the code source below
            }
        }
        var source = InferenceRecord.class.getProtectionDomain().getCodeSource();
        return source == null ? null : source.getLocation();
    }

    @Override
    public List<String> getManagedClassNames() {
        return List.of(InferenceRecord.class.getName(), FeedbackRecord.class.getName());
    }

    @Override
    public boolean excludeUnlistedClasses() {
        return true;
    }

    @Override
    public SharedCacheMode getSharedCacheMode() {
        return SharedCacheMode.NONE;
    }

    @Override
    public ValidationMode getValidationMode() {
        return ValidationMode.NONE;
    }

    @Override
    public Properties getProperties() {
        return properties;
    }

    @Override
    public String getPersistenceXMLSchemaVersion() {
        return "3.0";
    }

    @Override
    public ClassLoader getClassLoader() {
        return InferenceRecord.class.getClassLoader();
    }

    @Override
    public void addTransformer(ClassTransformer transformer) {
        // no weaving
    }

    @Override
    public ClassLoader getNewTempClassLoader() {
        return getClassLoader();
    }
}
