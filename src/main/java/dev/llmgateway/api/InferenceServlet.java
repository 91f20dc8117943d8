package dev.llmgateway.api;

import dev.llmgateway.request.RequestState;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.request.ApiError;
import dev.llmgateway.admission.MemoryBudget;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.keys.LimitRefusedException;
import dev.llmgateway.keys.Limiter;
import dev.llmgateway.keys.RateLimitHeaders;
import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.InferenceService;
import dev.llmgateway.provider.ChunkStream;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;

/**
 * One inference endpoint of OpenAI's API: the path every one shares, servlet → adapter → chain → provider. The
 * endpoint's adapter reads its body into a {@link ClientRequest}; the answer goes back as the provider gave it, whole
 * or streamed as Server-Sent Events. Plain servlets rather than JAX-RS resources, whose dispatch costs the hottest
 * path dearly. The call itself runs on a thread of its own ({@link CallAdmission}), counted against
 * the calls the gateway carries at once.
 */
abstract class InferenceServlet extends HttpServlet {

    @Inject
    InferenceService inference;

    @Inject
    GatewaySettings settings;

    @Inject
    MemoryBudget memoryBudget;

    @Inject
    CallAdmission admission;

    @Inject
    GatewayEvents events;

    @Inject
    Limiter limiter;

    @Override
    protected void service(HttpServletRequest http, HttpServletResponse response) throws IOException {
        admission.carryPost(http, response, () -> call(http, response));
    }

    /** The endpoint's adapter: checks the body and says what it asks for; refuses with an {@link ApiException}. */
    protected abstract ClientRequest parse(JsonObject body, RequestLimits limits, Reservation memory);

    private void call(HttpServletRequest http, HttpServletResponse response) {
        // the upstream's answers have a share of their own, held until the answer is written
        try (Reservation memory = memoryBudget.open(); Reservation answers = memoryBudget.open()) {
            RequestState state = RequestState.of(http);
            if (state != null && state.tagsRefused() != null) {
                throw new ApiException(ApiError.invalidRequest(state.tagsRefused(), null));
            }
            ClientRequest request = read(http, memory).chargingAnswersTo(answers.forAnswers());
            Limiter.Admitted admitted = limiter.admit(state, request.operation(), request.model(), request.body(), bodyBytes(http, request));
            if (admitted == null) {
                admission.inFlight(response, () -> answer(request, http, response, null));
                return;
            }
            state.spending(admitted.settlement());
            try {
                admission.inFlight(response, () -> answer(request, http, response, admitted));
            } finally {
                // after the inference's own events, which settle the hold with its usage: a call that never ran gives it all back
                state.afterCompletion(admitted::releaseUnlessSettled);
            }
        } catch (RuntimeException | Error failure) {
            answer(failure, response, events);
        } catch (IOException clientGone) {
            // the client closed the connection: nobody is left to answer, and it is not the gateway's failure
        }
    }

    /** The body's size, for the estimate of its input tokens: as declared, else as parsed. */
    private static long bodyBytes(HttpServletRequest http, ClientRequest request) {
        long declared = http.getContentLengthLong();
        return declared >= 0 ? declared : dev.llmgateway.json.Json.toText(request.body()).length();
    }

    /** The request the client sent, read and checked by the endpoint's adapter. */
    protected ClientRequest read(HttpServletRequest http, Reservation memory) throws IOException {
        return parse(RequestReader.object(http, settings.limits(), memory), settings.limits(), memory);
    }

    private void answer(ClientRequest request, HttpServletRequest http, HttpServletResponse response, Limiter.Admitted admitted) throws IOException {
        InferenceResult result = shown(inference.infer(request, Optional.ofNullable(http.getHeader(RouteHeaders.VARIANT))), request);
        RateLimitHeaders.answered(admitted, RequestState.of(http)).forEach(response::setHeader);
        if (result.streamed()) {
            // closed on every path, a first flush that finds the client gone included: it releases the upstream and ends the spans
            try (ChunkStream stream = result.stream()) {
                RouteHeaders.write(result, response);
                response.setContentType("text/event-stream;charset=UTF-8");
                response.setHeader("Cache-Control", "no-cache");
                response.setHeader("X-Accel-Buffering", "no");
                // headers first: on Liberty the flush that commits the response sent the first event only with the next
                response.flushBuffer();
                writeStream(stream, request, response.getOutputStream());
            }
        } else {
            RouteHeaders.write(result, response);
            CallAdmission.json(response, result.completion().bytes());
        }
    }

    /** The answer as this endpoint's client may see it; as the provider gave it unless the endpoint says otherwise. */
    protected InferenceResult shown(InferenceResult result, ClientRequest request) {
        return result;
    }

    /** Writes a stream as the endpoint's clients read it, then closes it; an {@link IOException} means the client went away. */
    protected void writeStream(ChunkStream stream, ClientRequest request, OutputStream out) throws IOException {
        SseWriter.copy(stream, request.model(), request.includeUsage(), out);
    }

    /** A key's limits refused the call: their error, and the rate-limit headers that say until when. */
    private static void refusedByLimits(LimitRefusedException refused, HttpServletResponse response) {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        refused.headers().forEach(response::setHeader);
        try {
            refused.error().writeTo(response);
        } catch (IOException clientGone) {
            // nobody is left to tell
        }
    }

    /** The error the failure deserves, unless the answer has begun; one the gateway did not expect is a 500, reported. */
    static void answer(Throwable failure, HttpServletResponse response, GatewayEvents events) {
        if (failure instanceof LimitRefusedException refused) {
            refusedByLimits(refused, response);
            return;
        }
        ApiError error = ApiErrors.answering(failure, events);
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        if (failure instanceof InferenceFailedException e && e.inferenceId() != null) {
            RouteHeaders.inferenceId(e.inferenceId(), response);
        }
        try {
            error.writeTo(response);
        } catch (IOException clientGone) {
            // refused early (a body over the limits), the client may still be sending while the connection closes
        }
    }
}
