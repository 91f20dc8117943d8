package dev.llmgateway.ledger;

import dev.llmgateway.events.Inference;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.Outcome;
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.Usage;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The ledger's schema and persistence unit on the embedded database, with the Jakarta Persistence provider both runtimes bundle. */
class LedgerStoreTest {

    @TempDir
    Path directory;

    private EmbeddedDatabase database;
    private LedgerStore store;

    @BeforeEach
    void open() {
        database = EmbeddedDatabase.open(directory.resolve("ledger"));
        assertThat(LedgerSchema.migrate(database.dataSource())).isEqualTo("2");
        store = LedgerStore.open(database.dataSource(), 100);
    }

    @AfterEach
    void close() {
        store.close();
        database.close();
    }

    @Test
    void migratingAgainChangesNothing() throws Exception {
        long before = applied();
        assertThat(LedgerSchema.migrate(database.dataSource())).isEqualTo("2");
        assertThat(applied()).isEqualTo(before).isPositive();
    }

    private long applied() throws Exception {
        try (Connection connection = database.dataSource().getConnection();
             ResultSet applied = connection.createStatement().executeQuery("SELECT COUNT(*) FROM \"" + LedgerSchema.HISTORY_TABLE + "\" WHERE \"success\"")) {
            applied.next();
            return applied.getLong(1);
        }
    }

    @Test
    void aBatchIsWrittenAndReadBack() {
        List<InferenceRecord> batch = new ArrayList<>();
        for (int i = 0; i < 250; i++) {
            batch.add(row("team-a", "gpt", new Usage(100, 10, 40, 5), new Cost(0.001, "USD")));
        }
        store.write(batch);

        InferenceRecord found = store.find(batch.get(7).id());
        assertThat(found).isNotNull();
        var json = found.toJson("http://t/{trace_id}", true).build();
        assertThat(json.getString("key_name")).isEqualTo("team-a");
        assertThat(json.getJsonObject("usage").getInt("cache_read_tokens")).isEqualTo(40);
        assertThat(json.getJsonNumber("cost").bigDecimalValue()).isEqualByComparingTo("0.001");
        assertThat(json.getString("trace_url")).isEqualTo("http://t/" + json.getString("trace_id"));
        assertThat(json.getJsonObject("tags").getString("team")).isEqualTo("search");
    }

    @Test
    void usageIsSummedPerGroupAndUnknownCostsAreCountedNotZeroed() {
        store.write(List.of(row("team-a", "gpt", new Usage(100, 10), new Cost(0.5, "USD")), row("team-a", "gpt", new Usage(50, 5), Cost.UNKNOWN),
                row("team-b", "claude", new Usage(7, 3), new Cost(0.25, "USD"))));
        LedgerQueries queries = new LedgerQueries();
        queries.ledger = new Ledger() {
            @Override
            LedgerStore store() {
                return store;
            }
        };
        queries.pricing = new dev.llmgateway.pricing.Pricing(dev.llmgateway.config.Prices.NONE);
        var now = java.time.Instant.now();
        var usage = queries.usage(new UsageFilter(now.minusSeconds(3600), now.plusSeconds(60), null, null, null, null, null), List.of("key", "model"), 0, 100);

        var data = usage.getJsonArray("data");
        assertThat(data).hasSize(2);
        var a = data.getJsonObject(0);
        assertThat(a.getString("key")).isEqualTo("team-a");
        assertThat(a.getInt("inferences")).isEqualTo(2);
        assertThat(a.getInt("input_tokens")).isEqualTo(150);
        assertThat(a.getJsonNumber("cost").bigDecimalValue()).isEqualByComparingTo("0.5");
        assertThat(a.getInt("uncosted_inferences")).isEqualTo(1);
    }

    @Test
    void retentionDeletesInBatchesOnlyWhatIsOld() {
        InferenceRecord old = row("team-a", "gpt", new Usage(1, 1), Cost.UNKNOWN);
        old.startedAt = LocalDateTime.now(ZoneOffset.UTC).minusDays(40);
        List<InferenceRecord> rows = new ArrayList<>(List.of(old));
        for (int i = 0; i < 30; i++) {
            InferenceRecord also = row("team-a", "gpt", new Usage(1, 1), Cost.UNKNOWN);
            also.startedAt = old.startedAt;
            rows.add(also);
        }
        InferenceRecord recent = row("team-a", "gpt", new Usage(1, 1), Cost.UNKNOWN);
        rows.add(recent);
        store.write(rows);

        LocalDateTime cutoff = LocalDateTime.now(ZoneOffset.UTC).minusDays(30);
        assertThat(store.deleteOlderThan(cutoff, 20)).isEqualTo(20);
        assertThat(store.deleteOlderThan(cutoff, 20)).isEqualTo(11);
        assertThat(store.deleteOlderThan(cutoff, 20)).isZero();
        assertThat(store.find(old.id())).isNull();
        assertThat(store.find(recent.id())).isNotNull();
    }

    @Test
    void feedbackIsStoredBesideItsInference() {
        InferenceRecord row = row("team-a", "gpt", new Usage(1, 1), Cost.UNKNOWN);
        store.write(List.of(row));
        store.save(new FeedbackRecord(new Feedback(row.id(), null, "thumbs_up", true, null, null), "team-a"));
        store.save(new FeedbackRecord(new Feedback(null, "conv-1", "comment", null, null, "fine"), "team-a"));

        assertThat(store.feedbackOn(row.id(), "conv-1")).hasSize(2);
        assertThat(store.feedbackOn(row.id(), null)).hasSize(1);
        assertThat(store.conversationHeldBy("conv-1", "team-a")).isTrue();
        assertThat(store.conversationHeldBy("conv-1", "team-b")).isFalse();
        assertThat(store.conversationHeldBy("conv-1", null)).isTrue();
        assertThat(store.conversationHeldBy("conv-2", null)).isFalse();
    }

    @Test
    void aRowTheDatabaseRefusesIsToldApartFromADatabaseThatFails() {
        InferenceRecord row = row("team-a", "gpt", new Usage(1, 1), Cost.UNKNOWN);
        store.write(List.of(row));
        InferenceRecord again = row("team-a", "gpt", new Usage(1, 1), Cost.UNKNOWN);
        again.id = row.id();

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> store.write(List.of(again))).isInstanceOf(RuntimeException.class)
                .satisfies(refused -> assertThat(Ledger.refusesRows(refused)).as("a duplicate key is the row's fault, not the database's").isTrue());
    }

    static InferenceRecord row(String key, String model, Usage usage, Cost cost) {
        Inference inference = new Inference(UUID.randomUUID().toString(), Operation.CHAT, null, null, model, key, Map.of("team", "search"), "conv-1");
        SpanContext trace = SpanContext.create("0af7651916cd43dd8448eb211c80319c", "b7ad6b7169203331", TraceFlags.getSampled(), TraceState.getDefault());
        return InferenceRecord.of(new InferenceEnded(inference, "openai", 1, false, false, Outcome.SUCCESS, null, usage, 5_000_000, -1, trace), cost,
                System.currentTimeMillis());
    }

    @Test
    void textADatabaseRefusesIsMadeStorable() {
        assertThat(InferenceRecord.storable("a\u0000b")).isEqualTo("a\uFFFDb");
        assertThat(InferenceRecord.storable("x\uD800y")).isEqualTo("x\uFFFDy");
        assertThat(InferenceRecord.storable("\uDC00")).isEqualTo("\uFFFD");
        assertThat(InferenceRecord.storable("pair \uD83D\uDE00 kept")).isEqualTo("pair \uD83D\uDE00 kept");
        assertThat(InferenceRecord.storable("end \uD83D")).isEqualTo("end \uFFFD");
        String plain = "nothing to do";
        assertThat(InferenceRecord.storable(plain)).isSameAs(plain);
    }

    @Test
    void costIsKeptExactly() {
        InferenceRecord row = row("team-a", "gpt", new Usage(1, 1), new Cost(0.0000875, "USD"));
        store.write(List.of(row));
        assertThat(store.find(row.id()).cost).isEqualByComparingTo(new BigDecimal("0.0000875"));
    }
}
