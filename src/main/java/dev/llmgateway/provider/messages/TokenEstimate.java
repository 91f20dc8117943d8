package dev.llmgateway.provider.messages;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import dev.llmgateway.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;

import java.lang.ref.SoftReference;

/**
 * An estimate of a Messages API request's input tokens, for a model whose provider keeps no count of its own: the
 * request's text (system, messages, tool calls and results, tool definitions) in OpenAI's {@code o200k_base}
 * encoding, plus a few tokens per message for its framing. Other tokenizers count the same text differently, so the
 * answer says it is an estimate.
 */
public final class TokenEstimate {

    /** What a message's framing (role, separators) costs in chat formats. */
    private static final int PER_MESSAGE = 3;
    /** An image's cost varies with its size; a mid-sized one is about this much. */
    private static final int PER_IMAGE = 1_000;

    private TokenEstimate() {
    }

    /**
     * The encoding, loaded on first use (about 1 s) and held softly: its vocabulary takes about 30 MiB of heap, which
     * the collector may take back when the heap runs short, to be loaded again by the next estimate.
     */
    private static volatile SoftReference<Encoding> loaded = new SoftReference<>(null);

    private static Encoding encoding() {
        Encoding encoding = loaded.get();
        if (encoding == null) {
            synchronized (TokenEstimate.class) {
                encoding = loaded.get();
                if (encoding == null) {
                    encoding = Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
                    loaded = new SoftReference<>(encoding);
                }
            }
        }
        return encoding;
    }

    public static long inputTokens(JsonObject request) {
        long tokens = PER_MESSAGE;
        tokens += count(request.get("system"));
        for (JsonValue message : Json.array(request, "messages").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            tokens += PER_MESSAGE + (message instanceof JsonObject m ? count(m.get("content")) : 0);
        }
        for (JsonValue tool : Json.array(request, "tools").orElse(JsonValue.EMPTY_JSON_ARRAY)) {
            tokens += tool instanceof JsonObject t ? text(Json.toText(t)) : 0;
        }
        return tokens;
    }

    private static long count(JsonValue content) {
        if (content instanceof JsonString text) {
            return text(text.getString());
        }
        if (!(content instanceof JsonArray blocks)) {
            return 0;
        }
        long tokens = 0;
        for (JsonValue value : blocks) {
            if (!(value instanceof JsonObject block)) {
                continue;
            }
            switch (Json.string(block, "type").orElse("")) {
                case "text" -> tokens += text(Json.string(block, "text").orElse(""));
                case "thinking" -> tokens += text(Json.string(block, "thinking").orElse(""));
                case "tool_use" -> tokens += text(Json.string(block, "name").orElse("")) + (block.get("input") instanceof JsonObject input ? text(Json.toText(input)) : 0);
                case "tool_result" -> tokens += count(block.get("content"));
                case "image", "document" -> tokens += PER_IMAGE;
                default -> tokens += text(Json.toText(block));
            }
        }
        return tokens;
    }

    private static long text(String text) {
        return text.isEmpty() ? 0 : encoding().countTokensOrdinary(text);
    }
}
