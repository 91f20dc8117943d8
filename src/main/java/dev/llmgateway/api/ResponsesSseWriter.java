package dev.llmgateway.api;

import dev.llmgateway.request.ApiError;
import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.json.Json;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes the Responses API's typed events as Server-Sent Events, {@code event:} named by each event's type, each
 * flushed as it arrives. The stream ends with its {@code response.completed} event (no {@code [DONE]}), or with one
 * {@code error} event when the upstream breaks mid-stream.
 */
final class ResponsesSseWriter {

    private static final byte[] EVENT = "event: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DATA = "\ndata: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);

    private ResponsesSseWriter() {
    }

    static void copy(ChunkStream events, String model, OutputStream out) throws IOException {
        long sequence = 0;
        try (events) {
            Chunk event;
            while ((event = events.next()) != null) {
                sequence = Json.integer(event.json(), "sequence_number").orElse(sequence) + 1;
                String type = event.eventType();
                event(out, type == null ? "message" : type, event.data());
            }
        } catch (ProviderException e) {
            ApiError error = ApiErrors.of(new InferenceFailedException(model, null, List.of(e)));
            event(out, "error", Json.toText(Json.object().add("type", "error").add("code", error.code() == null ? error.type() : error.code())
                    .add("message", error.message()).addNull("param").add("sequence_number", sequence).build()));
        }
    }

    /** One named event, flushed. */
    static void event(OutputStream out, String type, String data) throws IOException {
        out.write(EVENT);
        out.write(type.getBytes(StandardCharsets.UTF_8));
        out.write(DATA);
        out.write(data.getBytes(StandardCharsets.UTF_8));
        out.write(END_OF_EVENT);
        out.flush();
    }
}
