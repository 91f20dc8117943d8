package dev.llmgateway.chat;

import dev.llmgateway.provider.ChunkStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;

/** The JAX-RS entity of a streamed answer: hands the connection to {@link SseWriter}. */
final class SseResponse implements StreamingOutput {

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
        SseWriter.copy(chunks, model, includeUsage, servlet.getOutputStream());
    }
}
