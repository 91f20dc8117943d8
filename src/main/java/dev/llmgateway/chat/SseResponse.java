package dev.llmgateway.chat;

import dev.llmgateway.inference.InferenceFailedException;
import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Writes a provider's chunks to the client as Server-Sent Events, each flushed as it arrives. Ends with
 * {@code data: [DONE]}, or with an OpenAI-shaped error event when the upstream breaks mid-stream.
 * A client that goes away closes the upstream stream, which cancels the upstream request.
 */
final class SseResponse implements StreamingOutput {

    private static final byte[] DATA = "data: ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END_OF_EVENT = "\n\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DONE = "data: [DONE]\n\n".getBytes(StandardCharsets.US_ASCII);

    private final ChunkStream chunks;
    private final String model;
    private final boolean includeUsage;
    private final HttpServletResponse servlet;

    SseResponse(ChunkStream chunks, String model, boolean includeUsage, HttpServletResponse servlet) {
        this.chunks = chunks;
        this.model = model;
        this.includeUsage = includeUsage;
        this.servlet = servlet;
    }

    @Override
    public void write(OutputStream entity) throws IOException {
        // commit status and headers, then write past the entity stream: Jersey holds flushed chunks back in it
        entity.flush();
        OutputStream out = servlet.getOutputStream();
        try (chunks) {
            Chunk chunk;
            while ((chunk = chunks.next()) != null) {
                if (chunk.isUsageOnly() && !includeUsage) {
                    continue;
                }
                out.write(DATA);
                out.write(chunk.data().getBytes(StandardCharsets.UTF_8));
                out.write(END_OF_EVENT);
                out.flush();
            }
            out.write(DONE);
            out.flush();
        } catch (ProviderException e) {
            ApiError error = ApiErrors.of(new InferenceFailedException(model, List.of(e)));
            out.write(DATA);
            out.write(error.toJson());
            out.write(END_OF_EVENT);
            out.flush();
        }
    }
}
