package dev.llmgateway.metrics;

import dev.llmgateway.admission.CallsInFlight;
import dev.llmgateway.events.AttemptEnded;
import dev.llmgateway.events.CallRefused;
import dev.llmgateway.events.LimitRefused;
import dev.llmgateway.events.GatewayListener;
import dev.llmgateway.events.InferenceEnded;
import dev.llmgateway.events.Outcome;
import dev.llmgateway.events.RequestAnswered;
import dev.llmgateway.events.UnexpectedFailure;
import dev.llmgateway.inference.ModelInference;
import dev.llmgateway.pricing.Cost;
import dev.llmgateway.pricing.Pricing;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/** The gateway's Prometheus series, counted from the chain's events; the gauges read their owners when scraped. */
@ApplicationScoped
public class PrometheusListener implements GatewayListener {

    @Inject
    GatewayMetrics metrics;

    @Inject
    CallsInFlight callsInFlight;

    @Inject
    ModelInference models;

    @Inject
    Pricing pricing;

    @PostConstruct
    void registerGauges() {
        metrics.gauges(callsInFlight::inFlight, models::openStreams);
    }

    /** Made at startup, so that a scrape before the first call finds the gauges. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object ignored) {
        // creating the bean registered them
    }

    @Override
    public void requestAnswered(RequestAnswered request) {
        metrics.request(request.endpoint(), request.keyName(), request.status(), request.durationNanos(), request.upstreamNanos());
    }

    @Override
    public void inferenceEnded(InferenceEnded ended) {
        String operation = ended.inference().operationName();
        String model = ended.inference().model();
        metrics.inference(operation, ended.inference().function(), ended.inference().variant(), model, ended.provider(), ended.outcome().label());
        if (ended.provider() != null) {
            metrics.tokens(operation, model, ended.provider(), ended.usage().inputTokens(), ended.usage().outputTokens());
            Cost cost = pricing.cost(ended.provider(), model, ended.usage());
            if (cost.known()) {
                metrics.cost(operation, model, ended.provider(), cost.amount(), cost.currency());
            } else if (ended.usage().known() || ended.outcome() == Outcome.SUCCESS) {
                metrics.costUnknown(operation, model, ended.provider());
            }
        }
        // a provider that cannot serve the operation was never a choice: answering past it is no fallback
        if (ended.fellBack()) {
            metrics.fallback(model);
        }
    }

    @Override
    public void attemptEnded(AttemptEnded attempt) {
        String operation = attempt.inference().operationName();
        metrics.attempt(operation, attempt.provider(), attempt.outcomeLabel(), attempt.durationNanos());
        if (attempt.firstChunkNanos() >= 0) {
            metrics.timeToFirstChunk(operation, attempt.provider(), attempt.firstChunkNanos());
        }
    }

    @Override
    public void limitRefused(LimitRefused refusal) {
        metrics.limitRefused(refusal.reason(), refusal.keyLabel());
    }

    @Override
    public void callRefused(CallRefused refusal) {
        metrics.overloaded(refusal.reason().label());
    }

    @Override
    public void unexpectedFailure(UnexpectedFailure failure) {
        metrics.unexpectedFailure(failure.failure().getClass().getSimpleName());
    }
}
