package dev.llmgateway.api;

import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.provider.Operation;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;

/** {@code POST /v1/embeddings}: OpenAI's embeddings request, checked here, answered in one piece. */
@WebServlet(urlPatterns = ApiPaths.EMBEDDINGS, asyncSupported = true)
public class EmbeddingsServlet extends InferenceServlet {

    /** OpenAI's own bounds: more inputs per request or more dimensions no upstream takes. */
    static final long MAX_DIMENSIONS = 16_384;
    static final int MAX_INPUTS = 2_048;

    @Override
    protected ClientRequest parse(JsonObject body, RequestLimits limits, Reservation memory) {
        return request(body);
    }

    static ClientRequest request(JsonObject body) {
        String model = RequestFields.model(body);
        PromptInput.check(body.get("input"), "input", false);
        if (body.get("input") instanceof JsonArray inputs && inputs.size() > MAX_INPUTS && !(inputs.get(0) instanceof JsonNumber)) {
            throw RequestFields.invalid("'input' may hold at most " + MAX_INPUTS + " items; send the rest in another request", "input");
        }
        JsonValue format = body.get("encoding_format");
        if (!RequestFields.absent(format) && !(format instanceof JsonString s && (s.getString().equals("float") || s.getString().equals("base64")))) {
            throw RequestFields.invalid("'encoding_format' must be \"float\" or \"base64\"", "encoding_format");
        }
        RequestFields.integer(body, "dimensions", 1, MAX_DIMENSIONS);
        RequestFields.string(body, "user");
        if (RequestFields.stream(body)) {
            throw RequestFields.invalid("embeddings are answered in one piece; 'stream' must be false or absent", "stream");
        }
        return new ClientRequest(Operation.EMBEDDINGS, model, body, false, false);
    }
}
