package dev.llmgateway.api;

import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a provider's chunks as Server-Sent Events, each flushed as it arrives. Ends with {@code data: [DONE]},
 * or with one OpenAI-shaped error event when the upstream breaks mid-stream. The usage-only chunk the gateway
 * asked for on its own account is dropped unless the client asked for it too.
 */
final class SseWriter {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private SseWriter() {
    }

    /** Copies the stream to {@code out} and closes it; an {@link IOException} means the client went away. */
    static void copy(ChunkStream chunks, String model, boolean includeUsage, OutputStream out) throws IOException {
        try (chunks) {
            Chunk chunk;
            while ((chunk = chunks.next()) != null) {
                if (chunk.isUsageOnly() && !includeUsage) {
                    continue;
                }
                event(out, chunk.data().getBytes(StandardCharsets.UTF_8));
            }
            out.write(DONE);
            out.flush();
        } catch (ProviderException e) {
            event(out, ApiErrors.of(new InferenceFailedException(model, null, List.of(e))).toJson());
        }
    }

    private static void event(OutputStream out, byte[] data) throws IOException {
        out.write(DATA);
        out.write(data);
        out.write(END_OF_EVENT);
        out.flush();
    }
}
