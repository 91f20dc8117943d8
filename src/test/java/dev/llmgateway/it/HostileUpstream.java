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
 * An OpenAI-compatible upstream that attacks the gateway, chosen by the request's model: {@code huge} answers 63 MiB (as does
 * every stored response, made with {@code huge-stored}),
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
            if (exchange.getRequestURI().getPath().startsWith("/v1/responses/")) {
                huge(exchange); // a stored response of the largest size
                return;
            }
            String model = find(MODEL, body, "");
            String user = find(USER, body, "400-json");
            switch (model) {
                case "mutant" -> mutant(exchange, exchange.getRequestURI().getPath(), body.contains("\"stream\":true"), Long.parseLong(user));
                case "huge" -> huge(exchange);
                case "huge-stored" -> send(exchange, 200, "application/json", "{\"id\":\"resp_huge_" + System.nanoTime() + "\",\"object\":\"response\","
                        + "\"status\":\"completed\",\"model\":\"huge-stored\",\"output\":[],\"usage\":null}");
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

    private static final String CHAT = "{\"id\":\"chatcmpl-m\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"mutant\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi \\u00e9\",\"tool_calls\":[{\"id\":\"c1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"f\",\"arguments\":\"{\\\"a\\\":1}\"}}]},\"finish_reason\":\"stop\"}],"
            + "\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":2,\"total_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":1}}}";
    private static final String EMBEDDINGS = "{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[0.1,-2e-3,3]}],"
            + "\"model\":\"mutant\",\"usage\":{\"prompt_tokens\":1,\"total_tokens\":1}}";
    private static final String TEXT = "{\"id\":\"cmpl-m\",\"object\":\"text_completion\",\"created\":1,\"model\":\"mutant\",\"choices\":[{\"text\":\"Hi\","
            + "\"index\":0,\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}";
    private static final String RESPONSE = "{\"id\":\"resp_m\",\"object\":\"response\",\"created_at\":1,\"status\":\"completed\",\"model\":\"mutant\","
            + "\"output\":[{\"type\":\"message\",\"id\":\"msg_1\",\"status\":\"completed\",\"role\":\"assistant\",\"content\":[{\"type\":\"output_text\","
            + "\"text\":\"Hi\",\"annotations\":[]}]}],\"usage\":{\"input_tokens\":1,\"output_tokens\":1,\"total_tokens\":2}}";
    private static final String CHAT_STREAM = "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":"
            + "{\"role\":\"assistant\",\"content\":\"Hi\"}}]}\n\ndata: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
            + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":"
            + "{\"prompt_tokens\":1,\"completion_tokens\":1,\"total_tokens\":2}}\n\ndata: [DONE]\n\n";
    private static final String RESPONSE_STREAM = "event: response.created\ndata: {\"type\":\"response.created\",\"sequence_number\":0,\"response\":"
            + "{\"id\":\"resp_m\",\"status\":\"in_progress\",\"output\":[]}}\n\nevent: response.output_text.delta\ndata: {\"type\":"
            + "\"response.output_text.delta\",\"sequence_number\":1,\"item_id\":\"msg_1\",\"output_index\":0,\"content_index\":0,\"delta\":\"Hi\"}\n\n"
            + "event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":2,\"response\":" + RESPONSE + "}\n\n";
    private static final String[] TOKENS = {"{", "}", "[", "]", "\"", ":", ",", "\\", "\n", "\r", "\n\n", "data: ", "event: x\n", ": c\n",
            "null", "-1e999", "1" .repeat(400), "\\ud800", "\\u0000", "[".repeat(3000), "\"type\":\"a\\nb\"", "\u00e9", "data: [DONE]\n\n"};

    /** A valid answer for the endpoint, whole or streamed, mutated as the seed says: cut, flipped, spliced, duplicated, deepened. */
    private static void mutant(HttpExchange exchange, String path, boolean stream, long seed) throws IOException {
        java.util.Random random = new java.util.Random(seed);
        String answer = stream ? (path.endsWith("/responses") ? RESPONSE_STREAM : CHAT_STREAM)
                : path.endsWith("/embeddings") ? EMBEDDINGS : path.endsWith("/responses") ? RESPONSE : path.endsWith("/chat/completions") ? CHAT : TEXT;
        StringBuilder text = new StringBuilder(answer);
        for (int m = 0, mutations = 1 + random.nextInt(3); m < mutations; m++) {
            int at = random.nextInt(text.length() + 1);
            switch (random.nextInt(5)) {
                case 0 -> text.setLength(at);
                case 1 -> text.insert(at, TOKENS[random.nextInt(TOKENS.length)]);
                case 2 -> text.delete(at, Math.min(text.length(), at + 1 + random.nextInt(40)));
                case 3 -> text.insert(at, text.substring(at, Math.min(text.length(), at + random.nextInt(60))));
                default -> {
                    if (at < text.length()) {
                        text.setCharAt(at, TOKENS[random.nextInt(8)].charAt(0));
                    }
                }
            }
        }
        byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
        if (random.nextInt(10) == 0 && bytes.length > 2) {
            bytes[random.nextInt(bytes.length)] = (byte) 0xC3; // not UTF-8
        }
        int status = random.nextInt(8) == 0 ? 400 + random.nextInt(200) : 200;
        exchange.getResponseHeaders().set("Content-Type", stream ? "text/event-stream" : "application/json");
        exchange.sendResponseHeaders(status, random.nextBoolean() ? bytes.length : 0);
        exchange.getResponseBody().write(bytes);
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
