package dev.llmgateway.chat;

import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.telemetry.CorrelatedLog;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Every failure leaves as an OpenAI-shaped JSON error; unexpected ones are logged, never shown. */
@Provider
public class ErrorResponseMapper implements ExceptionMapper<Throwable> {

    private static final Logger LOG = Logger.getLogger(ErrorResponseMapper.class.getName());

    @Override
    public Response toResponse(Throwable failure) {
        ApiError error = ApiErrors.of(failure);
        if (error == null) {
            CorrelatedLog.log(LOG, Level.SEVERE, "Unexpected failure while handling a request", failure);
            error = ApiErrors.internal();
        }
        Response.ResponseBuilder response = response(error);
        if (failure instanceof InferenceFailedException e && e.inferenceId() != null) {
            response.header(RouteHeaders.INFERENCE_ID, e.inferenceId());
        }
        return response.build();
    }

    private static Response.ResponseBuilder response(ApiError error) {
        Response.ResponseBuilder response = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error.toJson());
        if (error.retryAfter() != null) {
            response.header("Retry-After", Math.max(1, error.retryAfter().toSeconds()));
        }
        return response;
    }
}
