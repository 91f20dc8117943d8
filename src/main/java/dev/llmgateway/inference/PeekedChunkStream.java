package dev.llmgateway.inference;

import dev.llmgateway.provider.Chunk;
import dev.llmgateway.provider.ChunkStream;
import dev.llmgateway.provider.ProviderException;

/** A stream whose first chunk was read ahead, so that a provider failing before it can still be fallen back from. */
final class PeekedChunkStream implements ChunkStream {

    private final ChunkStream rest;
    private Chunk first;

    private PeekedChunkStream(Chunk first, ChunkStream rest) {
        this.first = first;
        this.rest = rest;
    }

    static ChunkStream open(ChunkStream stream) throws ProviderException {
        try {
            return new PeekedChunkStream(stream.next(), stream);
        } catch (ProviderException | RuntimeException e) {
            stream.close();
            throw e;
        }
    }

    @Override
    public Chunk next() throws ProviderException {
        if (first != null) {
            Chunk chunk = first;
            first = null;
            return chunk;
        }
        return rest.next();
    }

    @Override
    public void close() {
        rest.close();
    }
}
