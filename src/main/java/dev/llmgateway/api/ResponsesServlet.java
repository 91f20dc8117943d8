package dev.llmgateway.api;

import dev.llmgateway.request.ApiPaths;
import dev.llmgateway.request.RequestState;
import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.inference.InferenceResult;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Completion;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.provider.Providers;
import jakarta.inject.Inject;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;

import java.io.IOException;
import java.io.OutputStream;

/**
 * {@code POST /v1/responses}: OpenAI's Responses API, answered whole or streamed as its typed events. Providers that
 * keep responses (OpenAI, Azure) get the request as it came; the others answer it over chat.
 */
@WebServlet(urlPatterns = ApiPaths.RESPONSES, asyncSupported = true)
public class ResponsesServlet extends InferenceServlet {

    @Override
    protected ClientRequest parse(JsonObject body, RequestLimits limits, Reservation memory) {
        ClientRequest request = request(body);
        if (body.get("previous_response_id") instanceof JsonString previous && owners.provider(previous.getString(), RequestState.callerKeyName()).isEmpty()) {
            // another key's response, or one this gateway does not know, is not continued: it might be another tenant's
            throw StoredResponsesServlet.notFound(previous.getString(), "previous_response_id");
        }
        if (settings.auth().enabled()) {
            refuseSharedState(body);
        }
        if (body.get("input") instanceof JsonArray items) {
            int values = 0;
            for (int i = 0; i < items.size(); i++) {
                if (items.get(i) instanceof JsonObject item && item.get("arguments") instanceof JsonString arguments) {
                    values += ToolArguments.charge(arguments.getString(), "input[" + i + "].arguments", limits, limits.maxJsonValues() - values, memory);
                }
            }
        }
        return request;
    }

    /**
     * State the provider keeps for the whole account, not tied to a gateway key: a conversation, or an item referenced by
     * id. With gateway keys one key could read another's through it, so it is refused there.
     */
    private static void refuseSharedState(JsonObject body) {
        if (!RequestFields.absent(body.get("conversation"))) {
            throw RequestFields.invalid("Conversations are kept for the provider's whole account, not for a gateway key: send the input"
                    + " itself, or previous_response_id of a response made with this key", "conversation");
        }
        if (body.get("input") instanceof JsonArray items) {
            for (int i = 0; i < items.size(); i++) {
                // the type defaults to item_reference: an item that is only an id refers to one kept upstream
                if (items.get(i) instanceof JsonObject item && ("item_reference".equals(Json.string(item, "type").orElse(null))
                        || Json.string(item, "type").isEmpty() && item.containsKey("id") && !item.containsKey("content"))) {
                    throw RequestFields.invalid("An item_reference names an item kept for the provider's whole account, not for a gateway key:"
                            + " send the item itself", "input[" + i + "]");
                }
            }
        }
    }

    static ClientRequest request(JsonObject body) {
        String model = RequestFields.model(body);
        JsonValue input = body.get("input");
        if (RequestFields.absent(input)) {
            if (RequestFields.absent(body.get("previous_response_id")) && RequestFields.absent(body.get("conversation"))
                    && RequestFields.absent(body.get("prompt"))) {
                throw RequestFields.invalid("you must provide an input parameter", "input");
            }
        } else if (!(input instanceof JsonString)) {
            if (!(input instanceof JsonArray items)) {
                throw RequestFields.invalid("'input' must be a string or an array of input items", "input");
            }
            for (int i = 0; i < items.size(); i++) {
                if (!(items.get(i) instanceof JsonObject)) {
                    throw RequestFields.invalid("each input item must be an object", "input[" + i + "]");
                }
            }
        }
        RequestFields.string(body, "instructions");
        RequestFields.string(body, "previous_response_id");
        RequestFields.string(body, "user");
        RequestFields.integer(body, "max_output_tokens", 1, Integer.MAX_VALUE);
        RequestFields.bool(body, "store", "store");
        if (!RequestFields.absent(body.get("tools")) && !(body.get("tools") instanceof JsonArray)) {
            throw RequestFields.invalid("'tools' must be an array", "tools");
        }
        return new ClientRequest(Operation.RESPONSES, model, body, RequestFields.stream(body), false);
    }

    @Inject
    Providers providers;

    @Inject
    ResponseOwners owners;

    /**
     * A response kept by its provider is remembered with it, for a later {@code GET}; and where a function's variant put
     * its prompt into the instructions, the client sees its own back, as chat never shows it.
     */
    @Override
    protected InferenceResult shown(InferenceResult result, ClientRequest request) {
        String provider = result.route().provider();
        if (providers.named(provider).storedResponses().isPresent()) {
            String key = RequestState.callerKeyName();
            if (result.streamed()) {
                result = result.withStream(new RememberedResponse(result.stream(), id -> owners.remember(id, provider, key)));
            } else {
                owners.remember(result.completion().summary().id(), provider, key);
            }
        }
        if (result.route().function() == null) {
            return result;
        }
        JsonValue own = request.body().getOrDefault("instructions", JsonValue.NULL);
        if (result.streamed()) {
            return result.withStream(new InstructionsShown(result.stream(), own));
        }
        return result.withCompletion(Completion.of(InstructionsShown.restore(result.completion().json(), own)));
    }

    @Override
    protected void writeStream(ChunkStream stream, ClientRequest request, OutputStream out) throws IOException {
        ResponsesSseWriter.copy(stream, request.model(), out);
    }
}
