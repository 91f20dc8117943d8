package dev.llmgateway.provider.responses;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.AnswerMemory;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.Usage;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;

/**
 * A streamed chat answer as the Responses API's typed events, in OpenAI's order: {@code response.created},
 * {@code response.in_progress}, then per output item its {@code added}, deltas and {@code done} events, and
 * {@code response.completed} (or {@code response.incomplete}) with the whole response and its usage. Each event
 * leaves as soon as the chat chunk that makes it arrives.
 */
final class ResponseEventsFromChat implements ChunkStream {

    private static final int KEPT_SLICE = 64 * 1024;
    private static final long KEPT_COST_PER_CHAR = 8;

    private final ChunkStream chat;
    private final String provider;
    private final AnswerMemory memory;
    private long keptChars;
    /** The first characters are free: an ordinary answer is charged nothing. */
    private long chargedChars = 16 * 1024;
    private final JsonObject request;
    private final Queue<Chunk> ready = new ArrayDeque<>();
    private final List<JsonObject> doneItems = new ArrayList<>();
    private String id;
    private String model;
    private long createdAt;
    private int sequence;
    private int outputIndex = -1;
    private StringBuilder text;
    private String textItemId;
    private ToolCall call;
    private String finish;
    private Usage usage;
    private boolean ended;

    /** One function call being streamed: its chat index, its item and the arguments so far. */
    private record ToolCall(int index, String itemId, String callId, String name, StringBuilder arguments) {
    }

    ResponseEventsFromChat(ChunkStream chat, JsonObject request, String model, String provider, AnswerMemory memory) {
        this.chat = chat;
        this.request = request;
        this.model = model;
        this.provider = provider;
        this.memory = memory;
    }

    /**
     * Charges the answer kept for the closing events as it grows, a slice at a time: its text and arguments, the items
     * made of them and the closing event that repeats them all.
     */
    private void kept(int chars) throws ProviderException {
        keptChars += chars;
        while (keptChars > chargedChars) {
            AnswerMemory.Refusal refusal = memory.take(KEPT_COST_PER_CHAR * KEPT_SLICE);
            if (refusal != AnswerMemory.Refusal.NONE) {
                throw UpstreamFailures.memory(provider, refusal);
            }
            chargedChars += KEPT_SLICE;
        }
    }

    @Override
    public Chunk next() throws ProviderException {
        while (ready.isEmpty() && !ended) {
            Chunk chunk = chat.next();
            if (chunk == null) {
                end();
            } else {
                translate(chunk.json());
            }
        }
        return ready.poll();
    }

    private void translate(JsonObject chunk) throws ProviderException {
        if (id == null) {
            id = "resp_" + Json.string(chunk, "id").orElse(ResponseIds.next());
            model = Json.string(chunk, "model").orElse(model);
            createdAt = Json.integer(chunk, "created").orElse(System.currentTimeMillis() / 1000);
            JsonObject response = response("in_progress", null);
            emit("response.created", Json.object().add("response", response));
            emit("response.in_progress", Json.object().add("response", response));
        }
        if (chunk.get("usage") instanceof JsonObject) {
            usage = Usage.of(chunk);
        }
        JsonObject choice = Json.array(chunk, "choices").filter(c -> !c.isEmpty()).map(c -> c.get(0))
                .filter(JsonObject.class::isInstance).map(JsonObject.class::cast).orElse(null);
        if (choice == null) {
            return;
        }
        JsonObject delta = Json.object(choice, "delta").orElse(JsonValue.EMPTY_JSON_OBJECT);
        if (delta.get("content") instanceof JsonString content && !content.getString().isEmpty()) {
            closeCall();
            if (text == null) {
                openText();
            }
            kept(content.getString().length());
            text.append(content.getString());
            emit("response.output_text.delta", Json.object().add("item_id", textItemId).add("output_index", outputIndex)
                    .add("content_index", 0).add("delta", content.getString()).add("logprobs", JsonValue.EMPTY_JSON_ARRAY));
        }
        for (JsonValue value : Json.array(delta, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            if (value instanceof JsonObject toolCall) {
                toolCall(toolCall);
            }
        }
        Json.string(choice, "finish_reason").ifPresent(reason -> finish = reason);
    }

    private void toolCall(JsonObject toolCall) throws ProviderException {
        int index = (int) Json.integer(toolCall, "index").orElse(0);
        JsonObject function = Json.object(toolCall, "function").orElse(JsonValue.EMPTY_JSON_OBJECT);
        if (call == null || call.index() != index) {
            closeText();
            closeCall();
            String callId = Json.string(toolCall, "id").orElse("call_" + ResponseIds.next());
            call = new ToolCall(index, "fc_" + callId, callId, Json.string(function, "name").orElse(""), new StringBuilder());
            outputIndex++;
            emit("response.output_item.added", Json.object().add("output_index", outputIndex)
                    .add("item", ResponseObject.functionCall(request, call.itemId(), "in_progress", callId, call.name(), "")));
        }
        String arguments = Json.string(function, "arguments").orElse("");
        if (!arguments.isEmpty()) {
            kept(arguments.length());
            call.arguments().append(arguments);
            emit("response.function_call_arguments.delta", Json.object().add("item_id", call.itemId()).add("output_index", outputIndex)
                    .add("delta", arguments));
        }
    }

    private void openText() {
        text = new StringBuilder();
        textItemId = "msg_" + id.substring("resp_".length()) + "_" + (outputIndex + 1);
        outputIndex++;
        emit("response.output_item.added", Json.object().add("output_index", outputIndex)
                .add("item", ResponseObject.message(textItemId, "in_progress", null)));
        emit("response.content_part.added", Json.object().add("item_id", textItemId).add("output_index", outputIndex)
                .add("content_index", 0).add("part", ResponseObject.textPart("")));
    }

    private void closeText() {
        if (text == null) {
            return;
        }
        String whole = text.toString();
        emit("response.output_text.done", Json.object().add("item_id", textItemId).add("output_index", outputIndex)
                .add("content_index", 0).add("text", whole).add("logprobs", JsonValue.EMPTY_JSON_ARRAY));
        emit("response.content_part.done", Json.object().add("item_id", textItemId).add("output_index", outputIndex)
                .add("content_index", 0).add("part", ResponseObject.textPart(whole)));
        JsonObject item = ResponseObject.message(textItemId, ResponseObject.status(finish), whole);
        emit("response.output_item.done", Json.object().add("output_index", outputIndex).add("item", item));
        doneItems.add(item);
        text = null;
    }

    private void closeCall() {
        if (call == null) {
            return;
        }
        String arguments = call.arguments().toString();
        emit("response.function_call_arguments.done", Json.object().add("item_id", call.itemId()).add("output_index", outputIndex)
                .add("arguments", arguments));
        JsonObject item = ResponseObject.functionCall(request, call.itemId(), "completed", call.callId(), call.name(), arguments);
        emit("response.output_item.done", Json.object().add("output_index", outputIndex).add("item", item));
        doneItems.add(item);
        call = null;
    }

    private void end() throws ProviderException {
        ended = true;
        if (id == null) {
            // a chat stream that sent nothing still makes a whole Responses stream: created, then done with no output
            translate(Json.object().add("id", ResponseIds.next()).build());
        }
        closeText();
        closeCall();
        String status = ResponseObject.status(finish);
        emit("response." + status, Json.object().add("response", response(status, usage == null ? Usage.UNKNOWN : usage)));
    }

    private JsonObject response(String status, Usage answered) {
        JsonArrayBuilder output = Json.array();
        doneItems.forEach(output::add);
        return ResponseObject.of(request, id, createdAt, model, status, finish, output.build(), answered);
    }

    private void emit(String type, JsonObjectBuilder event) {
        ready.add(Chunk.of(event.add("type", type).add("sequence_number", sequence++).build()));
    }

    @Override
    public void close() {
        chat.close();
    }
}
