package dev.llmgateway.testing;

import dev.llmgateway.events.AttemptEnded;
import dev.llmgateway.events.CallRefused;
import dev.llmgateway.events.GatewayEvent;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.RequestAnswered;
import dev.llmgateway.events.UnexpectedFailure;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A listener that keeps every event it is told, and the events that tell it. */
public final class RecordedEvents implements GatewayListener {

    private final List<GatewayEvent> told = new CopyOnWriteArrayList<>();
    private final GatewayEvents events = new GatewayEvents(List.of(this));

    public GatewayEvents events() {
        return events;
    }

    public List<GatewayEvent> all() {
        return told;
    }

    public <E extends GatewayEvent> List<E> of(Class<E> type) {
        return told.stream().filter(type::isInstance).map(type::cast).toList();
    }

    @Override
    public void attemptEnded(AttemptEnded attempt) {
        told.add(attempt);
    }

    @Override
    public void inferenceEnded(InferenceEnded inference) {
        told.add(inference);
    }

    @Override
    public void requestAnswered(RequestAnswered request) {
        told.add(request);
    }

    @Override
    public void callRefused(CallRefused refusal) {
        told.add(refusal);
    }

    @Override
    public void unexpectedFailure(UnexpectedFailure failure) {
        told.add(failure);
    }

    @Override
    public boolean readsChunkGaps() {
        return true;
    }
}
