package dev.llmgateway.api;

import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import dev.llmgateway.request.ApiError;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * Writes Anthropic's events as Server-Sent Events, {@code event:} named by each event's type, each flushed as it
 * arrives; an upstream that breaks mid-stream ends it with one {@code error} event in Anthropic's shape.
 */
final class MessagesSseWriter {

    private MessagesSseWriter() {
    }

    static void copy(ChunkStream events, String model, OutputStream out) throws IOException {
        try (events) {
            Chunk event;
            while ((event = events.next()) != null) {
                String type = event.eventType();
                ResponsesSseWriter.event(out, type == null ? "message" : type, event.data());
            }
        } catch (ProviderException e) {
            ApiError error = ApiErrors.of(new InferenceFailedException(model, null, List.of(e)));
            String upstreamType = e.upstreamError().type();
            String type = upstreamType != null && ApiError.isAnthropicType(upstreamType) ? upstreamType : error.anthropicType();
            ResponsesSseWriter.event(out, "error", Json.toText(Json.object().add("type", "error")
                    .add("error", Json.object().add("type", type).add("message", error.anthropicMessage())).build()));
        }
    }

}
