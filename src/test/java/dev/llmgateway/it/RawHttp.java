package dev.llmgateway.it;

import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Plain HTTP against the gateway, for what an SDK would refuse to send or hide from the test. */
final class RawHttp {

    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    private RawHttp() {
    }

    static HttpResponse<String> post(URL base, String path, String body) {
        return send(HttpRequest.newBuilder(uri(base, path))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    /** Sent without waiting for the answer: each such call in flight has a connection of its own. */
    static CompletableFuture<HttpResponse<String>> postAsync(URL base, String path, String body) {
        return CLIENT.sendAsync(HttpRequest.newBuilder(uri(base, path))
                .header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> get(URL base, String path) {
        return send(HttpRequest.newBuilder(uri(base, path)).GET());
    }

    static HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return CLIENT.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new AssertionError("request failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The answer, or null when there was none (nothing listening yet, or the connection broke). */
    static HttpResponse<String> sendOrNull(HttpRequest.Builder request, Duration timeout) {
        try {
            return CLIENT.send(request.timeout(timeout).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The gateway listens on loopback only; Payara Micro's adapter reports the machine's address instead. */
    static URI uri(URL base, String path) {
        return URI.create("http://127.0.0.1:" + base.getPort() + path);
    }
}
