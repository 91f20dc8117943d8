package dev.llmgateway.provider;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Serves recorded provider answers from src/test/resources/fixtures, in small pieces, and keeps the last request. */
final class FixtureUpstream implements AutoCloseable {

    record Request(URI uri, Map<String, List<String>> headers, String body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final HttpServer server;
    private volatile String wholeFixture;
    private volatile String streamFixture;
    private volatile Request last;

    FixtureUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.createContext("/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            last = new Request(exchange.getRequestURI(), Map.copyOf(exchange.getRequestHeaders()), body);
            boolean stream = body.contains("\"stream\":true");
            byte[] answer = fixture(stream ? streamFixture : wholeFixture);
            exchange.getResponseHeaders().add("Content-Type", stream ? "text/event-stream" : "application/json");
            exchange.sendResponseHeaders(200, stream ? 0 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                // odd-sized pieces, so events and UTF-8 sequences straddle reads
                for (int i = 0; i < answer.length; i += 37) {
                    out.write(answer, i, Math.min(37, answer.length - i));
                    out.flush();
                }
            }
        });
        server.start();
    }

    FixtureUpstream serving(String whole, String stream) {
        this.wholeFixture = whole;
        this.streamFixture = stream;
        return this;
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    Request last() {
        return last;
    }

    static byte[] fixture(String path) {
        try (InputStream in = FixtureUpstream.class.getResourceAsStream("/fixtures/" + path)) {
            if (in == null) {
                throw new IllegalArgumentException("no fixture " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String path) {
        return new String(fixture(path), StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
