package dev.llmgateway.it;

import dev.llmgateway.json.Json;
import jakarta.json.JsonObject;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;

import java.math.BigDecimal;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.llmgateway.it.GatewayDeployment.ADMIN_KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * One key's limits held by two instances of both runtimes on one PostgreSQL: Open Liberty (this run's Arquillian
 * server) and Payara Micro (started beside it). Each instance leases slices of a limit (10 % by default); together they
 * never admit past it, refuse early by at most their slices outstanding, and an instance killed mid-load loses no more
 * than the slice it held. Run in the Liberty run only: one run has both runtimes.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KeysAcrossInstancesIT {

    private static final int THREADS_PER_INSTANCE = 3;
    private static StandaloneGateway payara;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return GatewayDeployment.withLedger();
    }

    @BeforeAll
    static void startPayaraBeside() throws Exception {
        assumeTrue(StandaloneGateway.liberty(), "the Liberty run starts Payara Micro beside its server; the Payara run leaves it to that one");
        LedgerPostgres.shared();
        payara = StandaloneGateway.startOtherRuntime(Map.of("GATEWAY_LEDGER_DATASOURCE", "jdbc/llm-gateway-ledger",
                "GATEWAY_ADMIN_KEY_SHA256", GatewayDeployment.sha256(ADMIN_KEY), "GATEWAY_PRICE_DUMMY_INPUT", "1.5", "GATEWAY_PRICE_DUMMY_OUTPUT", "6",
                "GATEWAY_LEDGER_FLUSH_INTERVAL_MS", "50"));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (!limitsUp(payara.base())) {
            assertThat(payara.alive()).as("Payara Micro beside Liberty: %s", payara.log()).isTrue();
            assertThat(System.nanoTime()).as("Payara Micro's keys up within 180 s: %s", payara.log()).isLessThan(deadline);
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stopPayara() throws Exception {
        if (payara != null) {
            payara.close();
        }
    }

    private static boolean limitsUp(URL gateway) {
        try {
            return Scrape.of(gateway).value("gateway_limits_up") == 1.0;
        } catch (RuntimeException | AssertionError notYet) {
            return false;
        }
    }

    @Test
    @Order(1)
    void aRequestLimitHoldsAcrossBothRuntimes() throws Exception {
        Scrape.awaitLedgerUp(base);
        JsonObject key = createAndAwaitOnBoth("{\"name\":\"shared-rpd-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"limits\":{\"requests_per_day\":200}}");
        int[] admitted = load(key.getString("key"), CHAT, 400, "across", counts -> { });
        int total = admitted[0] + admitted[1];
        System.out.printf("requests_per_day 200 across both: Liberty %d, Payara Micro %d%n", admitted[0], admitted[1]);
        assertThat(admitted[0]).as("answered by Liberty").isPositive();
        assertThat(admitted[1]).as("answered by Payara Micro").isPositive();
        // never past the limit, and every slice spent once both refuse: exactly the limit
        assertThat(total).isEqualTo(200);
        assertThat(granted(key.getString("id"), "requests_per_day")).isLessThanOrEqualTo(200);
    }

    @Test
    @Order(2)
    void aSpendBudgetHoldsAcrossBothRuntimes() throws Exception {
        String run = UUID.randomUUID().toString();
        JsonObject key = createAndAwaitOnBoth("{\"name\":\"shared-budget-" + run.substring(0, 8) + "\",\"limits\":{\"budget_per_day\":0.03}}");
        // 200 words echoed back: about 0.0015 a call, estimated a little higher (input counted as bytes / 4)
        int[] admitted = load(key.getString("key"), "{\"model\":\"dummy\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\""
                + "word ".repeat(200).strip() + "\"}]}", 100, run, counts -> { });
        int calls = admitted[0] + admitted[1];
        double spent = 0;
        for (Map<String, Object> row : LedgerIT.rowsOf(run, calls, 30)) {
            spent += ((BigDecimal) row.get("cost")).doubleValue();
        }
        System.out.printf("budget_per_day 0.03 across both: Liberty %d calls, Payara Micro %d, spent %.6f%n", admitted[0], admitted[1], spent);
        assertThat(admitted[0]).isPositive();
        assertThat(admitted[1]).isPositive();
        assertThat(spent).as("%d calls", calls).isLessThanOrEqualTo(0.03 + 1e-9).isGreaterThan(0.03 - 2 * 0.003 - 2 * 0.0017);
    }

    @Test
    @Order(3)
    void aKeyRevokedOnOneRuntimeIsRefusedOnTheOtherWithinOneSecond() throws Exception {
        JsonObject key = createAndAwaitOnBoth("{\"name\":\"revoked-" + UUID.randomUUID().toString().substring(0, 8) + "\"}");
        assertThat(chat(payara.base(), key.getString("key"))).isEqualTo(200);
        assertThat(admin(base, "POST", "/admin/v1/keys/" + key.getString("id") + "/revoke", null).statusCode()).isEqualTo(200);
        long revoked = System.nanoTime();
        int status;
        while ((status = chat(payara.base(), key.getString("key"))) != 401) {
            assertThat(status).isEqualTo(200);
            assertThat(System.nanoTime() - revoked).as("refused by the other runtime within 1 s of its revocation").isLessThan(TimeUnit.SECONDS.toNanos(1));
        }
        System.out.printf("revoked on Liberty, refused by Payara Micro after %d ms%n", (System.nanoTime() - revoked) / 1_000_000);
    }

    private static int chat(URL gateway, String key) {
        return RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(gateway, "/v1/chat/completions")).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(CHAT))).statusCode();
    }

    @Test
    @Order(4)
    void anInstanceKilledMidLoadLosesNoMoreThanTheSliceItHeld() throws Exception {
        JsonObject key = createAndAwaitOnBoth("{\"name\":\"killed-" + UUID.randomUUID().toString().substring(0, 8)
                + "\",\"limits\":{\"requests_per_day\":300}}");
        int[] admitted = load(key.getString("key"), CHAT, 600, "across", counts -> {
            if (counts[1] >= 60 && payara.alive()) {
                try {
                    payara.kill();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        assertThat(payara.alive()).isFalse();
        int total = admitted[0] + admitted[1];
        System.out.printf("requests_per_day 300, Payara Micro killed: Liberty %d, Payara Micro %d%n", admitted[0], admitted[1]);
        // what Payara Micro had leased and not spent is lost with it: at most its slice of 30; Liberty spends the rest to the end
        assertThat(total).isLessThanOrEqualTo(300).isGreaterThanOrEqualTo(300 - 30);
        assertThat(granted(key.getString("id"), "requests_per_day")).isEqualTo(300);
    }

    private static final String CHAT = "{\"model\":\"dummy\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    /**
     * Sends {@code body} as the key from three threads per instance until each has seen five refusals in a row (or sent
     * {@code most} in all); returns the calls each instance answered 200.
     */
    private int[] load(String key, String body, int most, String run, java.util.function.Consumer<int[]> hook) throws InterruptedException {
        AtomicInteger[] answered = {new AtomicInteger(), new AtomicInteger()};
        AtomicInteger sent = new AtomicInteger();
        AtomicBoolean failed = new AtomicBoolean();
        List<Thread> threads = new ArrayList<>();
        for (int instance = 0; instance < 2; instance++) {
            URL target = instance == 0 ? base : payara.base();
            AtomicInteger mine = answered[instance];
            for (int t = 0; t < THREADS_PER_INSTANCE; t++) {
                Thread thread = new Thread(() -> {
                    int refusedInARow = 0;
                    while (refusedInARow < 5 && sent.incrementAndGet() <= most) {
                        HttpResponse<String> answer = RawHttp.sendOrNull(HttpRequest.newBuilder(RawHttp.uri(target, "/v1/chat/completions"))
                                .header("Content-Type", "application/json").header("Authorization", "Bearer " + key).header("X-Gateway-Tags", "run=" + run)
                                .POST(HttpRequest.BodyPublishers.ofString(body)), Duration.ofSeconds(30));
                        if (answer == null) {
                            return; // the instance is gone
                        }
                        if (answer.statusCode() == 200) {
                            mine.incrementAndGet();
                            refusedInARow = 0;
                        } else if (answer.statusCode() == 429) {
                            refusedInARow++;
                        } else {
                            failed.set(true);
                            throw new AssertionError(answer.statusCode() + " " + answer.body());
                        }
                        hook.accept(new int[]{answered[0].get(), answered[1].get()});
                    }
                });
                thread.start();
                threads.add(thread);
            }
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertThat(failed).as("only 200 and 429 answered").isFalse();
        return new int[]{answered[0].get(), answered[1].get()};
    }

    private JsonObject createAndAwaitOnBoth(String body) throws InterruptedException {
        HttpResponse<String> made = admin(base, "POST", "/admin/v1/keys", body);
        assertThat(made.statusCode()).as(made.body()).isEqualTo(201);
        JsonObject key = Json.parseObject(made.body());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (admin(payara.base(), "GET", "/admin/v1/keys/" + key.getString("id"), null).statusCode() != 200) {
            assertThat(System.nanoTime()).as("the other instance reads the new key within 5 s").isLessThan(deadline);
            Thread.sleep(50);
        }
        return key;
    }

    private static double granted(String keyId, String limit) {
        return LedgerPostgres.shared().query(connection -> {
            var select = connection.prepareStatement("SELECT SUM(granted) FROM gateway_limit_counter WHERE scope = ? AND limit_kind = ?");
            select.setString(1, "key:" + keyId);
            select.setString(2, limit);
            try (ResultSet result = select.executeQuery()) {
                result.next();
                return result.getDouble(1);
            }
        });
    }

    private static HttpResponse<String> admin(URL gateway, String method, String path, String body) {
        return RawHttp.send(HttpRequest.newBuilder(RawHttp.uri(gateway, path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + ADMIN_KEY)
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body)));
    }
}
