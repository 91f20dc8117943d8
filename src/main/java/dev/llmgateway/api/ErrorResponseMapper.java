package dev.llmgateway.api;

import jakarta.enterprise.inject.spi.CDI;
import dev.llmgateway.events.GatewayEvents;
import dev.llmgateway.request.ApiError;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Every failure leaves as a JSON error in its endpoint's shape (OpenAI's, or Anthropic's on the Messages API); unexpected ones are logged, never shown. */
@Provider
public class ErrorResponseMapper implements ExceptionMapper<Throwable> {

    @Override
    public Response toResponse(Throwable failure) {
        return response(ApiErrors.answering(failure, CDI.current().select(GatewayEvents.class).get())).build();
    }

    private static Response.ResponseBuilder response(ApiError error) {
        Response.ResponseBuilder response = Response.status(error.status())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(error.body(null));
        if (error.retryAfter() != null) {
            response.header("Retry-After", Math.max(1, error.retryAfter().toSeconds()));
        }
        return response;
    }
}
