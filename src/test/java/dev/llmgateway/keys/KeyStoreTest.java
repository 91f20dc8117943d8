package dev.llmgateway.keys;

import jakarta.json.Json;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The keys' and teams' tables: every change a new revision, names unique, secrets kept as digests only. */
class KeyStoreTest {

    @TempDir
    Path directory;

    private JdbcConnectionPool pool;
    private KeyStore store;

    @BeforeEach
    void open() {
        pool = KeysDatabase.open(directory);
        store = new KeyStore(pool);
    }

    @AfterEach
    void close() {
        pool.dispose();
    }

    @Test
    void everyChangeShowsInTheRevisions() throws Exception {
        long empty = store.revision();
        VirtualKey key = key("k1", "a".repeat(64));
        assertThat(store.insert(key)).isTrue();
        long made = store.revision();
        assertThat(made).isNotEqualTo(empty);
        assertThat(store.insert(key("k1", "b".repeat(64)))).as("a name is taken once").isFalse();

        VirtualKey changed = new VirtualKey(key.id(), key.name(), "team-x", key.sha256(), key.hint(), "{\"owner\":\"ops\"}", Set.of("m1"), Set.of(),
                new Limits(Map.of(LimitKind.REQUESTS_PER_MINUTE, 5.0)), key.createdAt(), Instant.now(), null, null, 0);
        assertThat(store.update(changed, made)).isTrue();
        assertThat(store.update(changed, made)).as("over a key that changed since").isFalse();
        long updated = store.revision();
        assertThat(updated).isGreaterThan(made);
        VirtualKey read = store.key(key.id()).orElseThrow();
        assertThat(read.team()).isEqualTo("team-x");
        assertThat(read.models()).containsExactly("m1");
        assertThat(read.limits().amounts()).containsEntry(LimitKind.REQUESTS_PER_MINUTE, 5.0);

        assertThat(store.rotate(key.id(), "c".repeat(64), "sk-gw-cccc")).isTrue();
        assertThat(store.revoke(key.id(), Instant.now())).isTrue();
        assertThat(store.rotate(key.id(), "d".repeat(64), "sk-gw-dddd")).as("a revoked key keeps no secret to rotate").isFalse();
        VirtualKey revoked = store.key(key.id()).orElseThrow();
        assertThat(revoked.revokedAt()).isNotNull();
        assertThat(revoked.sha256()).isEqualTo("c".repeat(64));
        assertThat(store.revision()).isEqualTo(updated + 2);

        store.putTeam("team-x", new Limits(Map.of(LimitKind.BUDGET_PER_MONTH, 12.5)));
        store.putTeam("team-x", new Limits(Map.of(LimitKind.BUDGET_PER_MONTH, 20.0)));
        assertThat(store.teams()).singleElement().satisfies(team -> assertThat(team.limits().amounts()).containsEntry(LimitKind.BUDGET_PER_MONTH, 20.0));
    }

    @Test
    void limitsRefuseWhatTheyCannotHold() {
        assertThat(Limits.parse(Json.createObjectBuilder().add("requests_per_minute", 60).add("budget_per_day", 2.5).addNull("tokens_per_day").build(), "limits")
                .amounts()).containsOnlyKeys(LimitKind.REQUESTS_PER_MINUTE, LimitKind.BUDGET_PER_DAY);
        assertThatThrownBy(() -> Limits.parse(Json.createObjectBuilder().add("requests_per_hour", 60).build(), "limits"))
                .hasMessageContaining("unknown limit");
        assertThatThrownBy(() -> Limits.parse(Json.createObjectBuilder().add("requests_per_minute", 1.5).build(), "limits"))
                .hasMessageContaining("whole number");
        assertThatThrownBy(() -> Limits.parse(Json.createObjectBuilder().add("budget_total", -1).build(), "limits"))
                .hasMessageContaining("from 0.000001");
        assertThatThrownBy(() -> Limits.parse(Json.createObjectBuilder().add("tokens_per_day", 1e300).build(), "limits"))
                .hasMessageContaining("1e15");
        assertThatThrownBy(() -> Limits.parse(Json.createObjectBuilder().add("budget_total", 1e-9).build(), "limits"))
                .hasMessageContaining("0.000001");
    }

    private static VirtualKey key(String name, String sha256) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        return new VirtualKey(java.util.UUID.randomUUID().toString(), name, null, sha256, "sk-gw-abcd", null, Set.of(), Set.of(), Limits.NONE,
                now, now, now.plusSeconds(3600), null, 0);
    }
}
