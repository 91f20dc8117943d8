package dev.llmgateway.chat;

import dev.llmgateway.provider.ChunkStream;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.ws.rs.core.StreamingOutput;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;

/**
 * The JAX-RS entity of a streamed answer. It writes to the servlet response itself: Jersey (Payara) holds
 * flushed bytes back in its entity stream, so the status and headers are set here and each event leaves as
 * {@link SseWriter} flushes it, on every runtime alike.
 */
final class SseResponse implements StreamingOutput {

    private final ChunkStream chunks;
    private final String model;
    private final boolean includeUsage;
    private final Map<String, String> headers;
    private final HttpServletResponse servlet;

    SseResponse(ChunkStream chunks, String model, boolean includeUsage, Map<String, String> headers, HttpServletResponse servlet) {
        this.chunks = chunks;
        this.model = model;
        this.includeUsage = includeUsage;
        this.headers = headers;
        this.servlet = servlet;
    }

    @Override
    public void write(OutputStream entity) throws IOException {
        servlet.setStatus(200);
        servlet.setContentType("text/event-stream;charset=UTF-8");
        servlet.setHeader("Cache-Control", "no-cache");
        servlet.setHeader("X-Accel-Buffering", "no");
        headers.forEach(servlet::setHeader);
        SseWriter.copy(chunks, model, includeUsage, servlet.getOutputStream());
    }
}
