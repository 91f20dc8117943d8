package dev.llmgateway.provider.messages;

import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.provider.UpstreamFailures;
import dev.llmgateway.provider.Usage;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * A chat stream as Anthropic's events, each chat chunk translated the moment it arrives: the first opens the message
 * (message_start), text and tool-call deltas open, fill and close content blocks, and the end of the chat stream closes
 * the last block and the message with its stop reason and usage (message_delta, message_stop).
 */
final class MessageEventsFromChat implements ChunkStream {

    private final ChunkStream chat;
    private final String model;
    private final ArrayDeque<Chunk> pending = new ArrayDeque<>();
    /** chat tool call (its index, else its id) → Anthropic content block index */
    private final Map<String, Integer> toolBlocks = new HashMap<>();
    private final String provider;
    private boolean started;
    private boolean ended;
    private int blocks;
    /** the content block open now, or -1 */
    private int open = -1;
    private boolean openIsText;
    private String finishReason;
    private Usage usage = Usage.UNKNOWN;

    MessageEventsFromChat(ChunkStream chat, String model, String provider) {
        this.chat = chat;
        this.model = model;
        this.provider = provider;
    }

    @Override
    public Chunk next() throws ProviderException {
        while (pending.isEmpty()) {
            if (ended) {
                return null;
            }
            Chunk chunk = chat.next();
            if (chunk == null) {
                end();
            } else {
                translate(chunk.json());
            }
        }
        return pending.poll();
    }

    private void translate(JsonObject chunk) throws ProviderException {
        start(Json.string(chunk, "id").orElse(""));
        if (chunk.get("usage") instanceof JsonObject) {
            usage = Usage.of(chunk);
        }
        for (JsonValue value : Json.array(chunk, "choices").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            if (!(value instanceof JsonObject choice) || Json.integer(choice, "index").orElse(0) != 0) {
                continue;
            }
            JsonObject delta = Json.object(choice, "delta").orElse(JsonValue.EMPTY_JSON_OBJECT);
            Json.string(delta, "content").filter(t -> !t.isEmpty()).ifPresent(this::text);
            for (JsonValue call : Json.array(delta, "tool_calls").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
                if (call instanceof JsonObject toolCall) {
                    toolCall(toolCall);
                }
            }
            Json.string(choice, "finish_reason").ifPresent(reason -> finishReason = reason);
        }
    }

    private void start(String chatId) {
        if (started) {
            return;
        }
        started = true;
        JsonObject message = Json.object().add("id", MessageFromChat.messageId(chatId)).add("type", "message").add("role", "assistant")
                .add("model", model).add("content", JsonValue.EMPTY_JSON_ARRAY).addNull("stop_reason").addNull("stop_sequence")
                .add("usage", Json.object().add("input_tokens", 0).add("output_tokens", 0)).build();
        emit(Json.object().add("type", "message_start").add("message", message).build(), null);
    }

    private void text(String text) {
        if (open < 0 || !openIsText) {
            closeBlock();
            open = blocks++;
            openIsText = true;
            emit(Json.object().add("type", "content_block_start").add("index", open)
                    .add("content_block", Json.object().add("type", "text").add("text", "")).build(), null);
        }
        emit(Json.object().add("type", "content_block_delta").add("index", open)
                .add("delta", Json.object().add("type", "text_delta").add("text", text)).build(), null);
    }

    /**
     * A tool call's first chunk opens its block, later ones fill it. Anthropic's blocks follow one another, so arguments
     * for a call whose block a later call has closed cannot be placed: the upstream's stream is refused, never passed on
     * with a call's arguments missing.
     */
    private void toolCall(JsonObject call) throws ProviderException {
        JsonObject function = Json.object(call, "function").orElse(JsonValue.EMPTY_JSON_OBJECT);
        String key = call.containsKey("index") ? "#" + Json.integer(call, "index").orElse(0)
                : Json.string(call, "id").filter(id -> !id.isEmpty()).orElse(null);
        Integer block = key == null ? (open >= 0 && !openIsText ? Integer.valueOf(open) : null) : toolBlocks.get(key);
        if (block == null) {
            closeBlock();
            block = blocks++;
            toolBlocks.put(key == null ? "@" + block : key, block);
            open = block;
            openIsText = false;
            emit(Json.object().add("type", "content_block_start").add("index", block)
                    .add("content_block", Json.object().add("type", "tool_use").add("id", MessageFromChat.toolUseId(Json.string(call, "id").orElse("")))
                            .add("name", Json.string(function, "name").orElse("")).add("input", JsonValue.EMPTY_JSON_OBJECT)).build(), null);
        }
        String arguments = Json.string(function, "arguments").orElse("");
        if (!arguments.isEmpty() && block != open) {
            throw UpstreamFailures.malformed(provider, "a stream that interleaves the arguments of several tool calls", null);
        }
        if (!arguments.isEmpty()) {
            emit(Json.object().add("type", "content_block_delta").add("index", block)
                    .add("delta", Json.object().add("type", "input_json_delta").add("partial_json", arguments)).build(), null);
        }
    }

    private void closeBlock() {
        if (open >= 0) {
            emit(Json.object().add("type", "content_block_stop").add("index", open).build(), null);
            open = -1;
        }
    }

    private void end() {
        start("");
        closeBlock();
        emit(Json.object().add("type", "message_delta")
                .add("delta", Json.object().add("stop_reason", MessageFromChat.stopReason(finishReason)).addNull("stop_sequence"))
                .add("usage", MessageFromChat.usage(usage)).build(), usage);
        emit(Json.object().add("type", "message_stop").build(), null);
        ended = true;
    }

    private void emit(JsonObject event, Usage reported) {
        pending.add(new Chunk(Json.toText(event), event, reported));
    }

    @Override
    public void close() {
        chat.close();
    }
}
