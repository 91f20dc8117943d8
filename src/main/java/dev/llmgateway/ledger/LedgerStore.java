package dev.llmgateway.ledger;

import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityManagerFactory;
import jakarta.persistence.PersistenceException;
import jakarta.persistence.TypedQuery;
import jakarta.persistence.spi.PersistenceProvider;
import jakarta.persistence.spi.PersistenceProviderResolverHolder;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The ledger's tables through Jakarta Persistence: rows written in batches, read back, and deleted past their age. */
final class LedgerStore implements AutoCloseable {

    /** Seconds a query may take before the database is taken as not answering. */
    static final int QUERY_TIMEOUT_SECONDS = 10;
    /** Feedback shown with one inference at most, oldest first. */
    static final int MAX_FEEDBACK_SHOWN = 100;
    private static final Map<String, Object> QUERY_HINTS = Map.of("jakarta.persistence.query.timeout", QUERY_TIMEOUT_SECONDS * 1000);

    private final EntityManagerFactory factory;

    private LedgerStore(EntityManagerFactory factory) {
        this.factory = factory;
    }

    /** The persistence unit over {@code dataSource}, with the runtime's Jakarta Persistence provider. */
    static LedgerStore open(DataSource dataSource, int batchSize) {
        List<PersistenceProvider> providers = PersistenceProviderResolverHolder.getPersistenceProviderResolver().getPersistenceProviders();
        if (providers.isEmpty()) {
            throw new IllegalStateException("no Jakarta Persistence provider is available (on Open Liberty, enable the persistence-3.1 feature)");
        }
        EntityManagerFactory factory = providers.get(0).createContainerEntityManagerFactory(new LedgerUnit(dataSource, batchSize), Map.of());
        try {
            factory.createEntityManager().close(); // logs in now: a database that is not there fails here, not on the first batch
        } catch (RuntimeException e) {
            factory.close();
            throw e;
        }
        return new LedgerStore(factory);
    }

    /**
     * Writes {@code rows} in one transaction of the persistence unit, as one JDBC batch on its connection: a third of
     * the writer's CPU per row that persisting each entity costs (bench/results/2026-12-08T0030Z-ledger-insert.md).
     */
    void write(List<InferenceRecord> rows) {
        inTransaction(em -> {
            try (PreparedStatement insert = em.unwrap(Connection.class).prepareStatement(InferenceRecord.INSERT)) {
                insert.setQueryTimeout(QUERY_TIMEOUT_SECONDS);
                for (InferenceRecord row : rows) {
                    row.bind(insert);
                    insert.addBatch();
                }
                insert.executeBatch();
            } catch (SQLException e) {
                throw new PersistenceException(e);
            }
            return null;
        });
    }

    /** Deletes up to {@code max} inferences (and feedback) older than {@code cutoff}; returns how many rows went. */
    int deleteOlderThan(LocalDateTime cutoff, int max) {
        return inTransaction(em -> {
            List<String> ids = em.createQuery("SELECT i.id FROM InferenceRecord i WHERE i.startedAt < :cutoff", String.class)
                    .setParameter("cutoff", cutoff).setMaxResults(max).getResultList();
            int deleted = ids.isEmpty() ? 0 : em.createQuery("DELETE FROM InferenceRecord i WHERE i.id IN :ids").setParameter("ids", ids).executeUpdate();
            List<String> feedback = em.createQuery("SELECT f.id FROM FeedbackRecord f WHERE f.createdAt < :cutoff", String.class)
                    .setParameter("cutoff", cutoff).setMaxResults(max).getResultList();
            if (!feedback.isEmpty()) {
                deleted += em.createQuery("DELETE FROM FeedbackRecord f WHERE f.id IN :ids").setParameter("ids", feedback).executeUpdate();
            }
            return deleted;
        });
    }

    InferenceRecord find(String id) {
        return read(em -> em.find(InferenceRecord.class, id));
    }

    /** Feedback on the inference, and on its conversation where it has one, oldest first. */
    List<FeedbackRecord> feedbackOn(String inferenceId, String conversationId) {
        return read(em -> em.createQuery("SELECT f FROM FeedbackRecord f WHERE f.inferenceId = :id OR (f.conversationId IS NOT NULL AND"
                        + " f.conversationId = :conversation) ORDER BY f.createdAt, f.id", FeedbackRecord.class)
                .setParameter("id", inferenceId).setParameter("conversation", conversationId == null ? "" : conversationId)
                .setHint("jakarta.persistence.query.timeout", QUERY_HINTS.get("jakarta.persistence.query.timeout")).setMaxResults(MAX_FEEDBACK_SHOWN)
                .getResultList());
    }

    /** Whether the conversation holds an inference made with {@code keyName}, or any inference when it is null. */
    boolean conversationHeldBy(String conversationId, String keyName) {
        return read(em -> {
            TypedQuery<String> query = em.createQuery("SELECT i.id FROM InferenceRecord i WHERE i.conversationId = :conversation"
                    + (keyName == null ? "" : " AND i.keyName = :key"), String.class).setParameter("conversation", conversationId);
            if (keyName != null) {
                query.setParameter("key", keyName);
            }
            return !query.setMaxResults(1).getResultList().isEmpty();
        });
    }

    void save(FeedbackRecord feedback) {
        inTransaction(em -> {
            em.persist(feedback);
            return null;
        });
    }

    /** Runs a query built from {@code jpql} with {@code parameters}. */
    <T> List<T> query(String jpql, Class<T> type, Map<String, Object> parameters, int offset, int limit) {
        return read(em -> {
            TypedQuery<T> query = em.createQuery(jpql, type);
            parameters.forEach(query::setParameter);
            QUERY_HINTS.forEach(query::setHint);
            return query.setFirstResult(offset).setMaxResults(limit).getResultList();
        });
    }

    private <T> T read(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            return work.apply(em);
        } finally {
            em.close();
        }
    }

    private <T> T inTransaction(Function<EntityManager, T> work) {
        EntityManager em = factory.createEntityManager();
        try {
            em.getTransaction().begin();
            T result = work.apply(em);
            em.getTransaction().commit();
            return result;
        } finally {
            if (em.getTransaction().isActive()) {
                try {
                    em.getTransaction().rollback();
                } catch (RuntimeException ignored) {
                    // the connection is gone; the failure that got us here is the one to report
                }
            }
            em.close();
        }
    }

    @Override
    public void close() {
        factory.close();
    }
}
