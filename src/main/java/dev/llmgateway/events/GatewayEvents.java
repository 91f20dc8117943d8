package dev.llmgateway.events;

import dev.llmgateway.request.RequestState;
import io.opentelemetry.api.trace.Span;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Tells every listener what happened. The listeners are found once, at startup. An event of a request is held until
 * its exchange is complete and then told on the thread that carried its call, so no listener delays or fails a
 * client's answer; outside a request (a test, a startup task) it is told at once.
 */
@ApplicationScoped
public class GatewayEvents {

    private static final Logger LOG = Logger.getLogger(GatewayEvents.class.getName());

    @Inject
    @Any
    Instance<GatewayListener> found;

    private GatewayListener[] listeners;
    private boolean chunkGaps;

    GatewayEvents() {
        // for CDI
    }

    /** Events told to {@code listeners}, outside CDI. */
    public GatewayEvents(List<GatewayListener> listeners) {
        use(listeners);
    }

    @PostConstruct
    void resolve() {
        use(found.stream().toList());
        LOG.fine(() -> "Listeners: " + found.stream().map(l -> l.getClass().getSimpleName()).toList());
    }

    /** Made at startup, so that the listeners are found then, not by the first request. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // making the bean resolved them
    }

    private void use(List<GatewayListener> all) {
        listeners = all.toArray(GatewayListener[]::new);
        chunkGaps = all.stream().anyMatch(GatewayListener::readsChunkGaps);
    }

    /** Whether any listener reads the gaps between a stream's chunks; they are not measured otherwise. */
    public boolean measuresChunkGaps() {
        return chunkGaps;
    }

    /** Tells {@code event} once the current request's answer is out, or now outside a request. */
    public void announce(GatewayEvent event) {
        RequestState request = RequestState.current();
        if (request == null) {
            tell(event);
        } else {
            request.afterCompletion(() -> tell(event));
        }
    }

    /** A failure the gateway did not expect, with the span current now: announced like any other event. */
    public void unexpected(Throwable failure) {
        announce(new UnexpectedFailure(failure, Span.current().getSpanContext()));
    }

    /** Tells {@code event} to every listener now; one that throws does not keep it from the rest. */
    public void tell(GatewayEvent event) {
        for (GatewayListener listener : listeners) {
            try {
                event.deliverTo(listener);
            } catch (RuntimeException | Error failure) {
                if (event instanceof UnexpectedFailure) {
                    LOG.log(Level.SEVERE, "A listener failed on an unexpected failure", failure);
                } else {
                    unexpected(failure);
                }
            }
        }
    }
}
