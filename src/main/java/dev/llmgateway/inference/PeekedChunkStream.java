package dev.llmgateway.inference;

import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.Set;

/**
 * A stream whose first chunk was read ahead, so that a provider failing before it can still be fallen back from. For
 * the Responses API the first chunk is the first that carries output: its opening events ({@code response.created},
 * {@code response.in_progress}) come before the model has answered anything, so they are read ahead with it.
 */
final class PeekedChunkStream implements ChunkStream {

    private static final Set<String> OPENING_EVENTS = Set.of("response.created", "response.in_progress", "response.queued");

    private final ChunkStream rest;
    private final Queue<Chunk> ahead;

    private PeekedChunkStream(Queue<Chunk> ahead, ChunkStream rest) {
        this.ahead = ahead;
        this.rest = rest;
    }

    static ChunkStream open(ChunkStream stream) throws ProviderException {
        try {
            Queue<Chunk> ahead = new ArrayDeque<>(2);
            Chunk chunk = stream.next();
            while (chunk != null) {
                ahead.add(chunk);
                if (chunk.eventType() == null || !OPENING_EVENTS.contains(chunk.eventType())) {
                    break;
                }
                chunk = stream.next();
            }
            return new PeekedChunkStream(ahead, stream);
        } catch (ProviderException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    @Override
    public Chunk next() throws ProviderException {
        Chunk chunk = ahead.poll();
        return chunk != null ? chunk : rest.next();
    }

    @Override
    public void close() {
        rest.close();
    }
}
