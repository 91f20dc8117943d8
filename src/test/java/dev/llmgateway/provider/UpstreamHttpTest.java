package dev.llmgateway.provider;

import dev.llmgateway.config.ProviderType;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The upstream client's connection handling against a bare HTTP/1.1 server that counts its connections. */
class UpstreamHttpTest {

    private static final String COMPLETION = "{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}";

    /** A completion whose content has the given length, for the chunked mode. */
    private volatile String chunkedCompletion = COMPLETION;

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger connections = new AtomicInteger();
    private ServerSocket server;
    private UpstreamHttp http;
    private OpenAiProvider provider;
    /** How the server answers: "whole", "chunked" (a long completion in chunks), "stream", "endless" (a chunk every 100 ms for 30 s) or "silent-body". */
    private volatile String mode = "whole";

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(this::accept, "counting-upstream");
        acceptor.setDaemon(true);
        acceptor.start();
        var settings = TestProviders.settings("counted", ProviderType.OPENAI, "http://127.0.0.1:" + server.getLocalPort(), null);
        http = new UpstreamHttp(settings, timers, UpstreamHeaders.NONE);
        provider = OpenAiProvider.compatible(http);
    }

    @AfterEach
    void stop() throws IOException {
        http.close();
        server.close();
        timers.shutdownNow();
    }

    @Test
    void wholeAndStreamedAnswersReadToTheEndShareOneConnection() throws Exception {
        for (int i = 0; i < 3; i++) {
            mode = "whole";
            assertThat(provider.complete(request(false)).usage()).isEqualTo(new Usage(1, 1));
            mode = "stream";
            try (ChunkStream stream = provider.stream(request(true))) {
                int chunks = 0;
                while (stream.next() != null) {
                    chunks++;
                }
                assertThat(chunks).isPositive();
            }
        }

        assertThat(connections).hasValue(1);
    }

    @Test
    void aCompletionWithoutDeclaredLengthIsReadWholeAcrossItsChunks() throws Exception {
        mode = "chunked";
        // longer than the read buffer, then shorter: nothing of one answer may show in the next
        for (int size : new int[]{20_000, 300, 5_000, 2}) {
            chunkedCompletion = COMPLETION.replace("\"hi\"", "\"" + "a".repeat(size) + "\"");
            Completion completion = provider.complete(request(false));
            assertThat(completion.bytes()).asString(StandardCharsets.UTF_8).isEqualTo(chunkedCompletion);
            assertThat(completion.json().getJsonArray("choices").getJsonObject(0).getJsonObject("message").getString("content")).hasSize(size);
        }

        assertThat(connections).hasValue(1);
    }

    @Test
    void aStreamClosedBeforeItsEndAbortsTheConnectionAtOnce() throws Exception {
        mode = "endless";
        long start = System.nanoTime();
        try (ChunkStream stream = provider.stream(request(true))) {
            assertThat(stream.next()).isNotNull();
        }
        assertThat((System.nanoTime() - start) / 1_000_000).as("closing does not read the rest").isLessThan(2_000);

        mode = "whole";
        provider.complete(request(false));
        assertThat(connections).as("the abandoned connection is not reused").hasValue(2);
    }

    @Test
    void aBodyThatGoesSilentFailsAsATimeoutAfterTheReadLimit() {
        mode = "silent-body";
        long start = System.nanoTime();

        assertThatThrownBy(() -> provider.complete(request(false)))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.reason()).isEqualTo(ProviderException.Reason.TIMEOUT))
                .hasMessageContaining("went silent for 5000 ms mid-response");
        assertThat((System.nanoTime() - start) / 1_000_000).isBetween(4_500L, 9_000L);
    }

    private static ProviderRequest request(boolean stream) {
        return new ProviderRequest(Json.parseObject("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "m", stream);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket socket = server.accept();
                connections.incrementAndGet();
                Thread connection = new Thread(() -> serve(socket), "counting-upstream-connection");
                connection.setDaemon(true);
                connection.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = socket.getOutputStream();
            while (true) {
                int length = 0;
                String line = in.readLine();
                if (line == null) {
                    return;
                }
                while (!(line = in.readLine()).isEmpty()) {
                    if (line.toLowerCase().startsWith("content-length:")) {
                        length = Integer.parseInt(line.substring(15).strip());
                    }
                }
                in.skip(length);
                answer(out);
            }
        } catch (IOException | InterruptedException gone) {
            // the client closed or aborted the connection
        }
    }

    private void answer(OutputStream out) throws IOException, InterruptedException {
        switch (mode) {
            case "whole" -> write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + COMPLETION.length() + "\r\n\r\n" + COMPLETION);
            case "chunked" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n");
                String completion = chunkedCompletion;
                for (int at = 0; at < completion.length(); at += 700) {
                    String part = completion.substring(at, Math.min(completion.length(), at + 700));
                    write(out, Integer.toHexString(part.length()) + "\r\n" + part + "\r\n");
                }
                write(out, "0\r\n\r\n");
            }
            case "silent-body" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{");
                Thread.sleep(30_000);
            }
            case "stream", "endless" -> {
                write(out, "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
                String event = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"x\"}}]}\n\n";
                int count = mode.equals("endless") ? 300 : 3;
                for (int i = 0; i < count; i++) {
                    write(out, Integer.toHexString(event.length()) + "\r\n" + event + "\r\n");
                    if (mode.equals("endless")) {
                        Thread.sleep(100);
                    }
                }
                String done = "data: [DONE]\n\n";
                write(out, Integer.toHexString(done.length()) + "\r\n" + done + "\r\n0\r\n\r\n");
            }
            default -> throw new IllegalStateException(mode);
        }
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }
}
