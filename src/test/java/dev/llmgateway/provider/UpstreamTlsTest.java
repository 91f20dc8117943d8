package dev.llmgateway.provider;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.llmgateway.config.ProviderType;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.openai.OpenAiProvider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Providers are spoken to over TLS: an upstream that speaks HTTPS only answers, twice in a row.
 * The test JVM trusts the upstream's self-signed certificate through javax.net.ssl.trustStore (see the pom).
 */
class UpstreamTlsTest {

    private static final char[] PASSWORD = "test-only".toCharArray();
    private static final byte[] COMPLETION = ("{\"id\":\"c1\",\"object\":\"chat.completion\",\"choices\":[{\"index\":0,"
            + "\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2}}")
            .getBytes(StandardCharsets.UTF_8);

    private final ScheduledExecutorService timers = Executors.newSingleThreadScheduledExecutor();
    private final AtomicInteger exchanges = new AtomicInteger();
    private HttpsServer server;
    private UpstreamHttp http;

    @BeforeEach
    void start() throws Exception {
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        server.setHttpsConfigurator(new HttpsConfigurator(serverContext()));
        server.createContext("/v1/chat/completions", exchange -> {
            exchanges.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, COMPLETION.length);
            exchange.getResponseBody().write(COMPLETION);
            exchange.close();
        });
        server.start();
        var settings = TestProviders.settings("tls", ProviderType.OPENAI, "https://localhost:" + server.getAddress().getPort() + "/v1", null);
        http = new UpstreamHttp(settings, timers, UpstreamHeaders.NONE);
    }

    @AfterEach
    void stop() throws Exception {
        http.close();
        server.stop(0);
        timers.shutdownNow();
    }

    @Test
    void anHttpsOnlyUpstreamAnswers() throws Exception {
        OpenAiProvider provider = OpenAiProvider.compatible(http);
        ProviderRequest request = new ProviderRequest(Json.parseObject("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"), "m", false);

        assertThat(provider.complete(request).usage()).isEqualTo(new Usage(3, 2));
        assertThat(provider.complete(request).usage()).isEqualTo(new Usage(3, 2));
        assertThat(exchanges).hasValue(2);
    }

    private static SSLContext serverContext() throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = UpstreamTlsTest.class.getResourceAsStream("/tls/upstream.p12")) {
            keys.load(in, PASSWORD);
        }
        KeyManagerFactory managers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        managers.init(keys, PASSWORD);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(managers.getKeyManagers(), null, null);
        return context;
    }
}
