package dev.llmgateway.calls;

import io.opentelemetry.context.Context;

/**
 * Per-request state a thread holds (the trace context, the caller, the upstream clock, the export route), captured
 * on the thread the request arrived on and made current on the thread that carries its call on.
 */
@FunctionalInterface
public interface Handoff {

    Handoff NONE = () -> () -> {
    };

    /** Makes the captured state current on this thread until the returned scope closes. */
    Scope resume();

    /** Ends a resumed state on the thread that resumed it. */
    interface Scope extends AutoCloseable {
        @Override
        void close();
    }

    /** {@code value} made the thread's value of {@code local} while resumed; nothing to hand over when it is null. */
    static <T> Handoff carrying(ThreadLocal<T> local, T value) {
        if (value == null) {
            return NONE;
        }
        return () -> {
            local.set(value);
            return local::remove;
        };
    }

    /** The OpenTelemetry context current now: spans opened by the call become children of the request's span. */
    static Handoff of(Context context) {
        return () -> context.makeCurrent()::close;
    }
}
