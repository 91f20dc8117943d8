package dev.llmgateway.api;

import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.provider.Operation;
import jakarta.json.JsonObject;
import jakarta.servlet.annotation.WebServlet;

/** {@code POST /v1/completions}: OpenAI's legacy text completions, whole or streamed. */
@WebServlet(urlPatterns = ApiPaths.COMPLETIONS, asyncSupported = true)
public class CompletionsServlet extends InferenceServlet {

    @Override
    protected ClientRequest parse(JsonObject body, RequestLimits limits, Reservation memory) {
        return request(body);
    }

    static ClientRequest request(JsonObject body) {
        String model = RequestFields.model(body);
        PromptInput.check(body.get("prompt"), "prompt", true);
        RequestFields.integer(body, "max_tokens", 0, Integer.MAX_VALUE);
        RequestFields.integer(body, "n", 1, 128);
        RequestFields.string(body, "suffix");
        RequestFields.string(body, "user");
        return new ClientRequest(Operation.TEXT_COMPLETION, model, body, RequestFields.stream(body), RequestFields.includeUsage(body));
    }
}
