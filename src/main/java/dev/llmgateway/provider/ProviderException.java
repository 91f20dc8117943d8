package dev.llmgateway.provider;

import java.time.Duration;
import java.util.Optional;

/** A provider could not answer. The message is written for the client: it never holds credentials. */
public class ProviderException extends Exception {

    /** Why a provider failed; decides whether another provider may be tried. */
    public enum Reason {
        CONNECTION(true),
        TIMEOUT(true),
        RATE_LIMITED(true),
        SERVER_ERROR(true),
        /** the upstream refused the gateway's own credentials */
        AUTHENTICATION(true),
        MALFORMED_RESPONSE(true),
        /** the upstream refused the request itself: another provider would too */
        REQUEST_REJECTED(false),
        /** this provider cannot take the request as asked (nothing was sent); another provider of the model may */
        UNSUPPORTED(true),
        /** the answer is larger than the gateway reads, or than its memory budget could ever hold: asking again costs as much */
        ANSWER_TOO_LARGE(false),
        /** the answers and requests in flight hold the gateway's memory budget: the client may retry shortly */
        OVERLOADED(false);

        private final boolean retryable;

        Reason(boolean retryable) {
            this.retryable = retryable;
        }

        public boolean retryable() {
            return retryable;
        }
    }

    private final String provider;
    private final Reason reason;
    private final int status;
    private final Duration retryAfter;
    private UpstreamError error = UpstreamError.NONE;

    public ProviderException(String provider, Reason reason, int status, String message, Duration retryAfter, Throwable cause) {
        super(message, cause, false, false);
        this.provider = provider;
        this.reason = reason;
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public ProviderException(String provider, Reason reason, String message, Throwable cause) {
        this(provider, reason, 0, message, null, cause);
    }

    /** With the identifiers of the upstream's own error, passed on to the client and the span. */
    public ProviderException with(UpstreamError upstreamError) {
        this.error = upstreamError;
        return this;
    }

    public UpstreamError upstreamError() {
        return error;
    }

    public String provider() {
        return provider;
    }

    public Reason reason() {
        return reason;
    }

    /** The upstream's HTTP status, or 0 when none arrived. */
    public int status() {
        return status;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
