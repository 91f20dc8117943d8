package dev.llmgateway.keys;

import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Limits spent from leased slices: exact for one instance, never past the limit for several, a window at a time. */
class LimitCountersTest {

    private static final Instant MINUTE = Instant.parse("2026-12-08T10:15:00Z");

    @TempDir
    Path directory;

    private JdbcConnectionPool pool;
    private LimitCounters counters;

    @BeforeEach
    void open() {
        pool = KeysDatabase.open(directory);
        counters = new LimitCounters(pool);
    }

    @AfterEach
    void close() {
        pool.dispose();
    }

    @Test
    void oneInstanceAdmitsExactlyTheLimitThenRefusesUntilTheNextWindow() {
        Allowance allowance = new Allowance("key:a", LimitKind.REQUESTS_PER_MINUTE, 25);
        int admitted = 0;
        for (int i = 0; i < 40; i++) {
            if (allowance.take(1, MINUTE.plusMillis(i), counters, 10).result() == Allowance.Result.TAKEN) {
                admitted++;
            }
        }
        assertThat(admitted).isEqualTo(25);
        assertThat(allowance.remaining(MINUTE.plusSeconds(59))).isZero();
        assertThat(allowance.take(1, MINUTE.plusSeconds(60), counters, 10).result()).isEqualTo(Allowance.Result.TAKEN);
        assertThat(allowance.secondsToReset(MINUTE.plusSeconds(75))).isEqualTo(45);
    }

    @Test
    void instancesSharingTheDatabaseNeverAdmitPastTheLimitAndRefuseEarlyByAtMostTheirSlices() throws Exception {
        int instances = 4;
        double limit = 1_000;
        int slicePercent = 5;
        List<Allowance> allowances = new ArrayList<>();
        for (int i = 0; i < instances; i++) {
            allowances.add(new Allowance("team:shared", LimitKind.REQUESTS_PER_DAY, limit));
        }
        AtomicInteger admitted = new AtomicInteger();
        ExecutorService threads = Executors.newFixedThreadPool(8);
        List<Future<?>> done = new ArrayList<>();
        for (int t = 0; t < 8; t++) {
            Allowance mine = allowances.get(t % instances);
            done.add(threads.submit(() -> {
                for (int i = 0; i < 400; i++) {
                    if (mine.take(1, MINUTE, counters, slicePercent).result() == Allowance.Result.TAKEN) {
                        admitted.incrementAndGet();
                    }
                }
            }));
        }
        for (Future<?> future : done) {
            future.get();
        }
        threads.shutdown();
        // 3,200 tried against 1,000: never more than the limit, and what is missing is at most the slices the instances hold
        assertThat(admitted.get()).isLessThanOrEqualTo(1_000).isGreaterThanOrEqualTo(1_000 - instances * 50);
        double unspent = 0;
        for (Allowance allowance : allowances) {
            unspent += allowance.release(MINUTE);
        }
        assertThat(admitted.get() + unspent).isEqualTo(1_000);
    }

    @Test
    void aCallThatUsedLessGivesTheRestBackAndOneThatUsedMoreLeavesADebtTheNextLeasePays() {
        Allowance tokens = new Allowance("key:t", LimitKind.TOKENS_PER_MINUTE, 1_000);
        Allowance.Taken first = tokens.take(600, MINUTE, counters, 10);
        assertThat(first.result()).isEqualTo(Allowance.Result.TAKEN);
        long window = first.window();
        tokens.adjust(window, 600 - 100); // it used 100
        assertThat(tokens.take(800, MINUTE, counters, 10).result()).isEqualTo(Allowance.Result.TAKEN);
        tokens.adjust(window, 800 - 950); // it used 950: 1,050 used in all, 50 past the limit
        assertThat(tokens.take(1, MINUTE, counters, 10).result()).isEqualTo(Allowance.Result.EXHAUSTED);
        assertThat(tokens.remaining(MINUTE)).isZero();
        assertThat(tokens.take(-1e18, MINUTE, counters, 10).result()).as("a negative estimate frees nothing").isEqualTo(Allowance.Result.EXHAUSTED);
        assertThat(tokens.take(1, MINUTE, counters, 10).result()).isEqualTo(Allowance.Result.EXHAUSTED);
        assertThat(tokens.remaining(MINUTE)).isZero();
    }

    @Test
    void aCallTooLargeForWhatIsLeftLeavesItToTheOtherInstances() {
        Allowance first = new Allowance("key:big", LimitKind.TOKENS_PER_DAY, 1_000);
        Allowance second = new Allowance("key:big", LimitKind.TOKENS_PER_DAY, 1_000);
        assertThat(first.take(700, MINUTE, counters, 10).result()).isEqualTo(Allowance.Result.TAKEN);
        assertThat(second.take(400, MINUTE, counters, 10).result()).isEqualTo(Allowance.Result.EXHAUSTED);
        assertThat(first.take(300, MINUTE, counters, 10).result()).as("the 300 the refused call did not keep").isEqualTo(Allowance.Result.TAKEN);
    }

    @Test
    void aClockReadBeforeALeaseNeverTakesTheWindowBack() {
        Allowance allowance = new Allowance("key:clock", LimitKind.REQUESTS_PER_MINUTE, 100);
        allowance.take(1, MINUTE.plusSeconds(60), counters, 10);
        Allowance.Taken late = allowance.take(1, MINUTE.plusSeconds(59), counters, 10);
        assertThat(late.window()).isEqualTo(MINUTE.plusSeconds(60).getEpochSecond());
        assertThat(allowance.remaining(MINUTE.plusSeconds(61))).isEqualTo(98);
    }

    @Test
    void aDatabaseThatDoesNotAnswerLeavesOnlyTheSliceInHand() {
        Allowance allowance = new Allowance("key:d", LimitKind.REQUESTS_PER_MINUTE, 100);
        assertThat(allowance.take(1, MINUTE, counters, 10).result()).isEqualTo(Allowance.Result.TAKEN); // leases 10
        pool.dispose();
        for (int i = 0; i < 9; i++) {
            assertThat(allowance.take(1, MINUTE, counters, 10).result()).isEqualTo(Allowance.Result.TAKEN);
        }
        assertThat(allowance.take(1, MINUTE, counters, 10).result()).isEqualTo(Allowance.Result.UNAVAILABLE);
        assertThat(allowance.take(1, MINUTE, null, 10).result()).isEqualTo(Allowance.Result.UNAVAILABLE);
    }

    @Test
    void anUnspentSliceGivenBackCanBeLeasedByAnotherInstance() throws Exception {
        Allowance first = new Allowance("key:g", LimitKind.BUDGET_PER_DAY, 10.0);
        Allowance second = new Allowance("key:g", LimitKind.BUDGET_PER_DAY, 10.0);
        assertThat(first.take(9.5, MINUTE, counters, 100).result()).isEqualTo(Allowance.Result.TAKEN); // leases all 10
        assertThat(second.take(0.2, MINUTE, counters, 100).result()).isEqualTo(Allowance.Result.EXHAUSTED);
        double unspent = first.release(MINUTE);
        assertThat(unspent).isEqualTo(0.5);
        counters.giveBack("key:g", LimitKind.BUDGET_PER_DAY, LimitKind.Window.DAY.start(MINUTE), unspent);
        assertThat(second.take(0.2, MINUTE, counters, 100).result()).isEqualTo(Allowance.Result.TAKEN);
    }

    @Test
    void windowsAreFixedAndAlignedToUtc() {
        Instant now = Instant.parse("2026-02-14T23:59:59.900Z");
        assertThat(LimitKind.Window.MONTH.start(now)).isEqualTo(Instant.parse("2026-02-01T00:00:00Z").getEpochSecond());
        assertThat(LimitKind.Window.MONTH.end(LimitKind.Window.MONTH.start(now))).isEqualTo(Instant.parse("2026-03-01T00:00:00Z").getEpochSecond());
        assertThat(LimitKind.Window.DAY.start(now)).isEqualTo(Instant.parse("2026-02-14T00:00:00Z").getEpochSecond());
        assertThat(LimitKind.Window.SECOND.end(LimitKind.Window.SECOND.start(now))).isEqualTo(Instant.parse("2026-02-15T00:00:00Z").getEpochSecond());
        assertThat(RateLimitHeaders.duration(360)).isEqualTo("6m0s");
        assertThat(RateLimitHeaders.duration(3_723)).isEqualTo("1h2m3s");
        assertThat(RateLimitHeaders.duration(1)).isEqualTo("1s");
    }
}
