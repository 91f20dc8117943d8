package dev.llmgateway.api;

import dev.llmgateway.auth.Caller;
import dev.llmgateway.calls.Handoff;
import dev.llmgateway.metrics.UpstreamClock;
import dev.llmgateway.telemetry.export.RequestRoutes;
import io.opentelemetry.context.Context;

import java.util.List;

/** The request's state that the filters left on this thread, for the thread that carries its call on. */
final class CallHandoffs {

    private CallHandoffs() {
    }

    static List<Handoff> capture() {
        return List.of(Handoff.of(Context.current()), Caller.handoff(), UpstreamClock.handoff(), RequestRoutes.shared().handoff());
    }
}
