package dev.llmgateway.api;

import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.ModelSettings;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.inference.UnknownModelException;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.AsSent;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.ProviderRequest;
import dev.llmgateway.provider.Providers;
import dev.llmgateway.provider.messages.TokenEstimate;
import dev.llmgateway.request.ApiPaths;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.Optional;

/**
 * {@code POST /v1/messages/count_tokens}: the input tokens a Messages request would use, as the model's Anthropic
 * provider counts them; for a model without one (or when its count fails), an estimate the answer marks as such in
 * {@code X-Gateway-Token-Count}. Never a billed completion.
 */
@WebServlet(urlPatterns = ApiPaths.COUNT_TOKENS, asyncSupported = true)
public class CountTokensServlet extends HttpServlet {

    @Inject
    dev.llmgateway.keys.Limiter limiter;

    static final String COUNTED_BY = "X-Gateway-Token-Count";

    @Inject
    GatewaySettings settings;

    @Inject
    Providers providers;

    @Inject
    MemoryBudget memoryBudget;

    @Inject
    CallAdmission admission;

    @Inject
    GatewayEvents events;

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        admission.carryPost(http, response, () -> call(http, response));
    }

    private void call(HttpServletRequest http, HttpServletResponse response) {
        try (Reservation memory = memoryBudget.open(); Reservation answers = memoryBudget.open()) {
            RequestReader.Read read = RequestReader.keepingBytes(http, settings.limits(), memory);
            JsonObject body = read.json();
            String model = RequestFields.model(body);
            if (!(body.get("messages") instanceof JsonArray)) {
                throw RequestFields.invalid("messages: Field required, an array of messages", "messages");
            }
            ModelSettings settings = this.settings.model(model).orElseThrow(() -> new UnknownModelException(model));
            limiter.checkAllowed(dev.llmgateway.request.RequestState.of(http), model); // it may reach the model's Anthropic provider
            AsSent sent = new AsSent(read.bytes(), MessagesServlet.protocolHeaders(http));
            admission.inFlight(response, () -> {
                Optional<byte[]> counted = counted(settings, body, sent, answers);
                byte[] answer = counted.orElseGet(() -> Json.toBytes(Json.object().add("input_tokens", TokenEstimate.inputTokens(body)).build()));
                response.setHeader(COUNTED_BY, counted.isPresent() ? "provider" : "estimate; o200k_base");
                CallAdmission.json(response, answer);
            });
        } catch (RuntimeException | Error failure) {
            InferenceServlet.answer(failure, response, events);
        } catch (IOException clientGone) {
            // the client closed the connection: nobody is left to answer
        }
    }

    /** The count of the first of the model's providers that keeps one; empty when none does, or none could answer. */
    private Optional<byte[]> counted(ModelSettings model, JsonObject body, AsSent sent, Reservation answers) {
        for (String name : model.routing()) {
            var provider = settings.providers().get(name);
            try {
                Optional<byte[]> count = providers.named(name).countTokens(new ProviderRequest(Operation.MESSAGES, body,
                        provider.upstreamModel().orElse(model.name()), false, answers.forAnswers(), sent));
                if (count.isPresent()) {
                    return count;
                }
            } catch (ProviderException unavailable) {
                // an estimate serves the client better than a failure: compaction only needs a figure
            }
        }
        return Optional.empty();
    }
}
