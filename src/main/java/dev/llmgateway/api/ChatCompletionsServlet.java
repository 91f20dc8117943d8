package dev.llmgateway.api;

import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ClientRequest;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;

/** {@code POST /v1/chat/completions}, answered whole or streamed. */
@WebServlet(urlPatterns = ApiPaths.CHAT_COMPLETIONS, asyncSupported = true)
public class ChatCompletionsServlet extends InferenceServlet {

    @Override
    protected ClientRequest parse(JsonObject body, RequestLimits limits, Reservation memory) {
        return ChatRequestParser.parse(body, limits, memory);
    }
}
