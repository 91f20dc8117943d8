package dev.llmgateway.provider;

import com.sun.net.httpserver.HttpServer;
import dev.llmgateway.config.ProviderType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** Bodies of unknown length are read into kept buffers: each answer must come back as exactly its own bytes. */
class UpstreamReadAllTest {

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicReference<byte[]> next = new AtomicReference<>();
    private HttpServer server;
    private UpstreamHttp http;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
        server.createContext("/v1/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            // chunked: no Content-Length, so the gateway cannot size the answer before reading it
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.start();
        http = new UpstreamHttp(TestProviders.settings("echo", ProviderType.OPENAI, "http://127.0.0.1:" + server.getAddress().getPort() + "/v1", null),
                timers, UpstreamHeaders.NONE);
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        server.stop(0);
        timers.shutdownNow();
    }

    @Test
    void aShortAnswerAfterALongOneIsOnlyItsOwnBytes() throws Exception {
        byte[] longAnswer = new byte[20_000];
        Arrays.fill(longAnswer, (byte) 'A');
        byte[] almostScratch = new byte[8 * 1024 - 1];
        Arrays.fill(almostScratch, (byte) 'B');
        for (byte[] answer : List.of(longAnswer, almostScratch, "hello".getBytes(), new byte[0], longAnswer, "hi".getBytes())) {
            assertThat(echo(answer, 1 << 20)).isEqualTo(answer);
        }
        assertThat(echo(longAnswer, 100)).as("cut at the limit").isEqualTo(Arrays.copyOf(longAnswer, 100));
        assertThat(echo("after the cut".getBytes(), 1 << 20)).isEqualTo("after the cut".getBytes());
    }

    @Test
    void answersReadAtOnceOnManyThreadsNeverShareABuffer() throws Exception {
        ExecutorService callers = Executors.newFixedThreadPool(32);
        try {
            List<Future<Boolean>> calls = new java.util.ArrayList<>();
            for (int i = 0; i < 400; i++) {
                byte[] answer = new byte[1 + (i * 97) % 12_000];
                Arrays.fill(answer, (byte) ('a' + i % 26));
                calls.add(callers.submit(() -> Arrays.equals(echo(answer, 1 << 20), answer)));
            }
            for (Future<Boolean> call : calls) {
                assertThat(call.get()).isTrue();
            }
        } finally {
            callers.shutdownNow();
        }
    }

    private byte[] echo(byte[] answer, int limit) throws ProviderException {
        UpstreamBody body = http.exchange(http.post(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/echo"), answer));
        assertThat(body.length()).as("no declared length").isLessThanOrEqualTo(0);
        return http.readAll(body, limit);
    }
}
