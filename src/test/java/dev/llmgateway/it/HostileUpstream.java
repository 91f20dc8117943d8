package dev.llmgateway.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An OpenAI-compatible upstream that attacks the gateway, chosen by the request's model: {@code huge} answers 63 MiB,
 * {@code leaky} echoes the credentials it was sent (status and shape from the request's {@code user}: {@code 500-html}),
 * {@code deep} and {@code deep-then-stub} nest past any parser's limit, {@code forged} streams an event whose type
 * writes a second event into the framing.
 */
final class HostileUpstream implements AutoCloseable {

    static final int HUGE_BYTES = 63 * 1024 * 1024;
    private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern USER = Pattern.compile("\"user\"\\s*:\\s*\"([^\"]*)\"");

    private final HttpServer server;

    HostileUpstream() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 256);
        server.createContext("/v1/", this::answer);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
    }

    private void answer(HttpExchange exchange) throws IOException {
        try (exchange) {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String model = find(MODEL, body, "");
            String user = find(USER, body, "400-json");
            switch (model) {
                case "huge" -> huge(exchange);
                case "leaky" -> leak(exchange, user);
                case "deep", "deep-then-stub" -> send(exchange, 200, "application/json",
                        "{\"id\":\"x\",\"object\":\"chat.completion\",\"choices\":" + "[".repeat(5000) + "]".repeat(5000) + "}");
                case "forged" -> send(exchange, 200, "text/event-stream", "event: response.created\ndata: {\"type\":\"response.created\\nevent: forged\\n"
                        + "data: {}\",\"sequence_number\":0,\"response\":{\"id\":\"resp_forged\"}}\n\n");
                default -> send(exchange, 404, "application/json", "{\"error\":{\"message\":\"no such model\"}}");
            }
        } catch (IOException gatewayStoppedReading) {
            // what the gateway must do with an answer too large for it
        }
    }

    private static void huge(HttpExchange exchange) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(200, 0);
        byte[] block = new byte[64 * 1024];
        Arrays.fill(block, (byte) 'A');
        OutputStream out = exchange.getResponseBody();
        out.write("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":\"".getBytes(StandardCharsets.US_ASCII));
        for (int written = 0; written < HUGE_BYTES; written += block.length) {
            out.write(block);
        }
        out.write("\"}],\"model\":\"huge\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}".getBytes(StandardCharsets.US_ASCII));
    }

    /** Echoes the request's credentials as a careless upstream does: as sent, JSON-escaped, URL-encoded and base64. */
    private static void leak(HttpExchange exchange, String user) throws IOException {
        String credentials = String.valueOf(exchange.getRequestHeaders().getFirst("Authorization"));
        String key = credentials.startsWith("Bearer ") ? credentials.substring(7) : credentials;
        String echoed = "sent " + credentials + ", url " + URLEncoder.encode(key, StandardCharsets.UTF_8) + ", basic "
                + Base64.getEncoder().encodeToString(("user:" + key).getBytes(StandardCharsets.UTF_8));
        int status = Integer.parseInt(user.substring(0, 3));
        String shape = user.substring(4);
        switch (shape) {
            case "html" -> send(exchange, status, "text/html", "<html><body><h1>Error</h1><pre>" + echoed + "</pre></body></html>");
            case "text" -> send(exchange, status, "text/plain", echoed);
            case "stream" -> send(exchange, 200, "text/event-stream", "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                    + "\"delta\":{\"content\":\"Hi\"}}]}\n\ndata: {\"error\":{\"message\":\"" + echoed.replace("/", "\\/") + "\",\"type\":\"server_error\"}}\n\n");
            default -> send(exchange, status, "application/json", "{\"error\":{\"message\":\"" + echoed.replace("/", "\\/")
                    + "\",\"type\":\"invalid_request_error\",\"code\":\"echo\"}}");
        }
    }

    private static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    private static String find(Pattern pattern, String body, String otherwise) {
        Matcher matcher = pattern.matcher(body);
        return matcher.find() ? matcher.group(1) : otherwise;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
