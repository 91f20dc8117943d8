package dev.llmgateway.api;

import dev.llmgateway.admission.Reservation;
import dev.llmgateway.config.RequestLimits;
import dev.llmgateway.inference.ClientRequest;
import dev.llmgateway.provider.AsSent;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.Operation;
import dev.llmgateway.request.ApiPaths;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServletRequest;

import java.io.IOException;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;

/**
 * {@code POST /v1/messages}: Anthropic's Messages API, whole or streamed as its events. An Anthropic provider gets the
 * client's own bytes (only the model named anew) and its {@code anthropic-version} and {@code anthropic-beta}; the
 * others answer over chat. Errors come in Anthropic's shape on this endpoint.
 */
@WebServlet(urlPatterns = ApiPaths.MESSAGES, asyncSupported = true)
public class MessagesServlet extends InferenceServlet {

    /** Anthropic's own headers, passed on to an Anthropic provider as the client sent them. */
    private static final String[] PROTOCOL_HEADERS = {"anthropic-version", "anthropic-beta"};

    @Override
    protected ClientRequest read(HttpServletRequest http, Reservation memory) throws IOException {
        RequestReader.Read read = RequestReader.keepingBytes(http, settings.limits(), memory);
        return parse(read.json(), settings.limits(), memory).sentAs(new AsSent(read.bytes(), protocolHeaders(http)));
    }

    /** The client's {@code anthropic-version} and {@code anthropic-beta}, when they are plain header text. */
    static Map<String, String> protocolHeaders(HttpServletRequest http) {
        Map<String, String> headers = new HashMap<>();
        for (String name : PROTOCOL_HEADERS) {
            String value = http.getHeader(name);
            if (value != null && value.length() <= 1024 && value.chars().allMatch(c -> c >= 0x20 && c < 0x7f)) {
                headers.put(name, value);
            }
        }
        return headers;
    }

    @Override
    protected ClientRequest parse(JsonObject body, RequestLimits limits, Reservation memory) {
        return request(body);
    }

    static ClientRequest request(JsonObject body) {
        String model = RequestFields.model(body);
        if (RequestFields.absent(body.get("max_tokens"))) {
            throw RequestFields.invalid("max_tokens: Field required", "max_tokens");
        }
        RequestFields.integer(body, "max_tokens", 1, Integer.MAX_VALUE);
        if (!(body.get("messages") instanceof JsonArray messages)) {
            throw RequestFields.invalid("messages: Field required, an array of messages", "messages");
        }
        if (messages.isEmpty()) {
            throw RequestFields.invalid("messages: at least one message is required", "messages");
        }
        for (int i = 0; i < messages.size(); i++) {
            String param = "messages." + i;
            if (!(messages.get(i) instanceof JsonObject message)) {
                throw RequestFields.invalid(param + ": Input should be an object", param);
            }
            JsonValue role = message.get("role");
            if (!(role instanceof JsonString r) || !("user".equals(r.getString()) || "assistant".equals(r.getString()))) {
                throw RequestFields.invalid(param + ".role: Input should be 'user' or 'assistant'", param + ".role");
            }
            JsonValue content = message.get("content");
            if (!(content instanceof JsonString) && !(content instanceof JsonArray blocks && blocks.stream().allMatch(b -> b instanceof JsonObject))) {
                throw RequestFields.invalid(param + ".content: Input should be a string or an array of content blocks", param + ".content");
            }
        }
        JsonValue system = body.get("system");
        if (!RequestFields.absent(system) && !(system instanceof JsonString) && !(system instanceof JsonArray)) {
            throw RequestFields.invalid("system: Input should be a string or an array of text blocks", "system");
        }
        if (!RequestFields.absent(body.get("tools")) && !(body.get("tools") instanceof JsonArray)) {
            throw RequestFields.invalid("tools: Input should be an array", "tools");
        }
        if (!RequestFields.absent(body.get("tool_choice")) && !(body.get("tool_choice") instanceof JsonObject)) {
            throw RequestFields.invalid("tool_choice: Input should be an object", "tool_choice");
        }
        if (!RequestFields.absent(body.get("stop_sequences")) && !(body.get("stop_sequences") instanceof JsonArray)) {
            throw RequestFields.invalid("stop_sequences: Input should be an array of strings", "stop_sequences");
        }
        return new ClientRequest(Operation.MESSAGES, model, body, RequestFields.stream(body), false);
    }

    @Override
    protected void writeStream(ChunkStream stream, ClientRequest request, OutputStream out) throws IOException {
        MessagesSseWriter.copy(stream, request.model(), out);
    }
}
