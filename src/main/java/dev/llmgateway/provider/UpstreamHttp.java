package dev.llmgateway.provider;

import dev.llmgateway.config.ProviderSettings;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.config.SecretText;
import dev.llmgateway.json.JsonShape;
import dev.llmgateway.provider.sse.SseReader;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.ManagedHttpClientConnectionFactory;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.core5.http.ClassicHttpResponse;
import dev.llmgateway.request.RateLimit;
import dev.llmgateway.request.RequestState;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.pool.PoolReusePolicy;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The pooled, keep-alive HTTP/1.1 client of one provider, with its timeouts. The exchange runs on the call's own
 * thread (a virtual one, where the JVM has them), with no hand-off to a selector thread; bodies are read through a {@link ReadTimer}, so a silent
 * upstream costs at most the configured wait.
 */
public final class UpstreamHttp implements Closeable {

    private static final int MAX_ERROR_BODY = 64 * 1024;
    /** Each pooled connection holds three buffers of this size (input, line, output) for its life; larger reads and writes bypass them. */
    private static final int BUFFER = 2 * 1024;
    private static final TimeValue IDLE = TimeValue.ofSeconds(30);
    private static final String USER_AGENT = "llm-gateway";
    private static final ContentType JSON = ContentType.create("application/json");
    private static final int SCRATCH_BYTES = 8 * 1024;
    private static final int FREE_TREE_BYTES = 16 * 1024;
    /**
     * Buffers a body of unknown length is read into before it is copied out at its size, kept for the next call: a
     * thread-local one would be a new one per call on virtual threads.
     */
    private static final BlockingQueue<byte[]> SCRATCH = new ArrayBlockingQueue<>(256);

    private final ProviderSettings settings;
    private final CloseableHttpClient client;
    private final RequestConfig requestConfig;
    private final ScheduledFuture<?> eviction;
    private final ScheduledExecutorService timers;
    private final UpstreamHeaders headers;
    private final SecretText secrets;

    public UpstreamHttp(ProviderSettings settings, ScheduledExecutorService timers, UpstreamHeaders headers) {
        this(settings, timers, headers, SecretText.NONE);
    }

    /** @param secrets masked in every answer and error read whole, before anything else sees it */
    public UpstreamHttp(ProviderSettings settings, ScheduledExecutorService timers, UpstreamHeaders headers, SecretText secrets) {
        this.settings = settings;
        this.secrets = secrets;
        this.timers = timers;
        this.headers = headers;
        ProviderSettings.Timeouts timeouts = settings.timeouts();
        PoolingHttpClientConnectionManager pool = PoolingHttpClientConnectionManagerBuilder.create()
                .setTlsSocketStrategy(DefaultClientTlsStrategy.createSystemDefault())
                // small session buffers, not the 32 KiB default: thousands of calls in flight each hold a connection
                .setConnectionFactory(ManagedHttpClientConnectionFactory.builder()
                        // HttpCore's own limits stay (8 KiB lines, 100 headers): a line grows a connection's line buffer for its life
                        .http1Config(Http1Config.custom().setBufferSize(BUFFER).setChunkSizeHint(BUFFER).build())
                        .build())
                // no global pool lock per lease: the per-route limit is a ceiling, not a queue
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.LAX)
                .setConnPoolPolicy(PoolReusePolicy.LIFO)
                // one connection per call waiting on this provider; calls in flight are bounded before they get here
                .setMaxConnTotal(settings.maxConnections())
                .setMaxConnPerRoute(settings.maxConnections())
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(timeouts.connect()))
                        // a connection the upstream closed while idle is found before a request is lost on it
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .build();
        // the minimal client: no redirects, cookies, authentication, compression, proxies or retries, which would
        // only change what the provider answered (the gateway decides about retries and fallbacks itself), nor parse
        // every request's URI again for an authentication scope as the full client's protocol stage does
        this.client = HttpClients.createMinimal(pool);
        this.requestConfig = RequestConfig.custom()
                // a backstop only: the read timer ends the wait for the headers and for each read first
                .setResponseTimeout(Timeout.of(timeouts.firstByte().plus(timeouts.read())))
                // every connection busy (max-connections): wait no longer than a connect would take, then fail over
                .setConnectionRequestTimeout(Timeout.of(timeouts.connect()))
                .build();
        // sockets left idle after a burst are closed in the background rather than held until the next one
        this.eviction = timers.scheduleWithFixedDelay(() -> pool.closeIdle(IDLE), IDLE.toSeconds(), IDLE.toSeconds(), TimeUnit.SECONDS);
    }

    public HttpPost post(URI uri, byte[] body) {
        HttpPost request = new HttpPost(uri);
        prepare(request);
        request.setEntity(new ByteArrayEntity(body, JSON));
        return request;
    }

    /** A request without a body ({@code GET}, {@code DELETE}) or with an empty one ({@code POST}). */
    public HttpUriRequestBase bodiless(String method, URI uri) {
        HttpUriRequestBase request = new HttpUriRequestBase(method, uri);
        prepare(request);
        return request;
    }

    private void prepare(HttpUriRequestBase request) {
        request.setConfig(requestConfig);
        request.setHeader(HttpHeaders.USER_AGENT, USER_AGENT);
        settings.headers().forEach(request::setHeader);
        headers.addTo(request::setHeader);
    }

    /**
     * Sends and waits for the response headers, at most the first-byte timeout; an error status becomes the
     * provider's failure, with its explanation.
     */
    public UpstreamBody exchange(HttpUriRequestBase request) throws ProviderException {
        UpstreamBody body = send(request);
        if (body.status() / 100 != 2) {
            throw UpstreamFailures.status(settings.name(), body.status(), body.retryAfter(), readErrorBody(body), secrets);
        }
        return body;
    }

    private UpstreamBody send(HttpUriRequestBase request) throws ProviderException {
        ReadTimer timer = new ReadTimer(timers, () -> request.cancel(), settings.timeouts().firstByte(), settings.timeouts().read());
        ClassicHttpResponse response;
        SseReader.ReadGuard.Disarm disarm = timer.armHead();
        try {
            response = client.executeOpen(new HttpHost(request.getScheme(), request.getAuthority()), request, null);
        } catch (IOException e) {
            throw timer.expired()
                    ? UpstreamFailures.noResponse(settings.name(), clean(e), settings.timeouts().firstByte())
                    : UpstreamFailures.transport(settings.name(), clean(e), settings.timeouts().connect());
        } finally {
            disarm.disarm();
        }
        if (response.getCode() / 100 == 2) {
            rateLimits(response);
        }
        HttpEntity entity = response.getEntity();
        try {
            InputStream content = entity == null ? InputStream.nullInputStream() : entity.getContent();
            Header retryAfter = response.getFirstHeader("retry-after");
            long length = entity == null ? 0 : entity.getContentLength();
            return new UpstreamBody(response.getCode(), retryAfter == null ? null : retryAfter.getValue(), content, length, request, timer);
        } catch (IOException e) {
            request.cancel();
            throw UpstreamFailures.transport(settings.name(), clean(e), settings.timeouts().connect());
        }
    }

    /** The rate limits an answering upstream reported (OpenAI's or Anthropic's headers), kept for the client's answer. */
    private static void rateLimits(ClassicHttpResponse response) {
        RequestState state = RequestState.current();
        if (state == null) {
            return;
        }
        java.time.Instant now = java.time.Instant.now();
        state.upstreamRateLimits(rateLimit(response, "requests", now), rateLimit(response, "tokens", now));
    }

    private static RateLimit rateLimit(ClassicHttpResponse response, String unit, java.time.Instant now) {
        RateLimit openAi = RateLimit.of(value(response, "x-ratelimit-limit-" + unit), value(response, "x-ratelimit-remaining-" + unit),
                value(response, "x-ratelimit-reset-" + unit), now);
        return openAi != null ? openAi : RateLimit.of(value(response, "anthropic-ratelimit-" + unit + "-limit"),
                value(response, "anthropic-ratelimit-" + unit + "-remaining"), value(response, "anthropic-ratelimit-" + unit + "-reset"), now);
    }

    private static String value(ClassicHttpResponse response, String name) {
        Header header = response.getFirstHeader(name);
        return header == null ? null : header.getValue();
    }

    /**
     * Reads a whole body under the read timer, up to {@code limit} bytes, each buffer charged to {@code memory} before it
     * is allocated; into a buffer of its declared length when it has one. Secrets in it are masked. A body past the
     * limit, or one the memory budget can never hold, fails as {@code upstream_too_large}; one it cannot hold now as
     * overloaded.
     */
    public byte[] readAll(UpstreamBody body, int limit, AnswerMemory memory) throws ProviderException {
        return read(body, limit, memory, false);
    }

    /**
     * As {@link #readAll}; with {@code cut}, a longer body is cut at the limit instead of refused. Each buffer is charged
     * before it is allocated and the one it outgrew given back once copied, so an answer holds about its own size.
     */
    private byte[] read(UpstreamBody body, int limit, AnswerMemory memory, boolean cut) throws ProviderException {
        long declared = body.length();
        if (declared > limit && !cut) {
            body.close();
            throw UpstreamFailures.tooLarge(settings.name(), limit);
        }
        boolean known = declared > 0 && declared <= limit;
        byte[] scratch = null;
        try (body) {
            // without a declared length read into a kept scratch buffer and copy out the size read, rather than allocate
            // a fresh 8 KB buffer per answer
            charge(memory, known ? declared : SCRATCH_BYTES);
            scratch = known ? null : Objects.requireNonNullElseGet(SCRATCH.poll(), () -> new byte[SCRATCH_BYTES]);
            byte[] buffer = known ? new byte[(int) declared] : scratch;
            int length = 0;
            while (true) {
                int room = Math.min(buffer.length, limit);
                if (length == room) {
                    // the declared bytes are all there: reading the end (no wait) gives the connection back to the pool
                    if (scratch == null && length == declared && body.content().read() < 0) {
                        return secrets.scrub(buffer);
                    }
                    if (length >= limit) {
                        // exactly the limit is an answer; one byte more is not, unless the caller wants the start only
                        if (!cut && body.read(new byte[1], 0, 1) >= 0) {
                            throw UpstreamFailures.tooLarge(settings.name(), limit);
                        }
                        return secrets.scrub(exact(buffer, length, scratch, memory));
                    }
                    int next = (int) Math.min(limit, buffer.length * 2L);
                    charge(memory, next); // the old buffer and the new one both live while it is copied
                    byte[] grown = Arrays.copyOf(buffer, next);
                    if (buffer != scratch) {
                        memory.give(buffer.length);
                    }
                    buffer = grown;
                    continue;
                }
                int n = body.read(buffer, length, room - length);
                if (n < 0) {
                    return secrets.scrub(exact(buffer, length, scratch, memory));
                }
                length += n;
            }
        } catch (AnswerMemoryException e) {
            throw UpstreamFailures.memory(settings.name(), e.refusal());
        } catch (IOException e) {
            throw UpstreamFailures.read(settings.name(), clean(e), body.timer(), settings.timeouts().firstByte(), settings.timeouts().read());
        } finally {
            // every answer read into it was copied out: the buffer can serve the next one
            if (scratch != null) {
                SCRATCH.offer(scratch);
            }
        }
    }

    /** The bytes read, in an array of their size: the buffer itself when it fits, else a copy, the buffer given back. */
    private static byte[] exact(byte[] buffer, int length, byte[] scratch, AnswerMemory memory) throws AnswerMemoryException {
        if (length == buffer.length && buffer != scratch) {
            return buffer;
        }
        charge(memory, length);
        byte[] copy = Arrays.copyOf(buffer, length);
        if (buffer != scratch) {
            memory.give(buffer.length);
        }
        return copy;
    }

    /**
     * Charges what reading a whole answer as a tree takes beside its bytes, before it is built: its text and 128 bytes
     * a value (counted, not guessed: an answer of small numbers is mostly values). Small answers are free.
     */
    public void holdTree(AnswerMemory memory, byte[] json) throws ProviderException {
        if (json.length > FREE_TREE_BYTES) {
            hold(memory, 2L * json.length + JsonShape.values(json) * RequestLimits.BYTES_PER_VALUE);
        }
    }

    /** A whole body read outside any call's memory budget, up to {@code limit} bytes. */
    public byte[] readAll(UpstreamBody body, int limit) throws ProviderException {
        return readAll(body, limit, AnswerMemory.UNCOUNTED);
    }

    /** Charges what an answer read whole takes besides its bytes (a tree, a translation) before it is built. */
    public void hold(AnswerMemory memory, long bytes) throws ProviderException {
        try {
            charge(memory, bytes);
        } catch (AnswerMemoryException e) {
            throw UpstreamFailures.memory(settings.name(), e.refusal());
        }
    }

    private static void charge(AnswerMemory memory, long bytes) throws AnswerMemoryException {
        AnswerMemory.Refusal refusal = memory.take(bytes);
        if (refusal != AnswerMemory.Refusal.NONE) {
            throw new AnswerMemoryException(refusal);
        }
    }

    /** Reads the start of an error body, enough to explain the error; at most 64 KiB, whatever the upstream sends. */
    public byte[] readErrorBody(UpstreamBody body) {
        try {
            return read(body, MAX_ERROR_BODY, AnswerMemory.UNCOUNTED, true);
        } catch (ProviderException e) {
            return new byte[0];
        }
    }

    /**
     * The failure as it may be recorded on a span: HttpCore quotes what it could not parse (a header line the upstream
     * wrote), so a failure whose text holds a secret is replaced by one with it masked and no cause.
     */
    public IOException clean(IOException failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null && !secrets.scrub(t.getMessage()).equals(t.getMessage())) {
                String masked = secrets.scrub(failure.getMessage() == null ? failure.toString() : failure.getMessage());
                // of the kind that decides what failed (a timeout stays a timeout)
                if (failure instanceof org.apache.hc.client5.http.ConnectTimeoutException) {
                    return new org.apache.hc.client5.http.ConnectTimeoutException(masked);
                }
                if (failure instanceof java.net.SocketTimeoutException) {
                    return new java.net.SocketTimeoutException(masked);
                }
                return failure instanceof java.net.ConnectException ? new java.net.ConnectException(masked) : new IOException(masked);
            }
        }
        return failure;
    }

    /** The secrets masked in every text read from this provider. */
    public SecretText secrets() {
        return secrets;
    }

    public ProviderSettings settings() {
        return settings;
    }

    @Override
    public void close() throws IOException {
        eviction.cancel(false);
        client.close();
    }
}
