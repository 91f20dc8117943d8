package dev.llmgateway.chat;

import dev.llmgateway.config.GatewaySettings;
import dev.llmgateway.inference.ChatRequest;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.inference.InferenceService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.io.InputStream;
import java.util.Map;
import java.util.Optional;

/** {@code POST /v1/chat/completions}, answered whole or streamed as Server-Sent Events. */
@Path("chat/completions")
@ApplicationScoped
public class ChatCompletionsResource {

    @Inject
    InferenceService inference;

    @Inject
    GatewaySettings settings;

    @POST
    public Response create(InputStream body, @HeaderParam(RouteHeaders.VARIANT) String variant,
                           @Context HttpServletRequest http, @Context HttpServletResponse response) {
        ChatRequest request = ChatRequestParser.parse(RequestBody.read(body, http.getContentLengthLong(), settings.maxBodyBytes()));
        InferenceResult result = inference.infer(request, Optional.ofNullable(variant));
        Map<String, String> headers = RouteHeaders.of(result);
        if (result.streamed()) {
            return Response.ok(new SseResponse(result.stream(), request.model(), request.includeUsage(), headers, response)).build();
        }
        Response.ResponseBuilder answer = Response.ok(result.completion().bytes(), MediaType.APPLICATION_JSON_TYPE);
        headers.forEach(answer::header);
        return answer.build();
    }
}
