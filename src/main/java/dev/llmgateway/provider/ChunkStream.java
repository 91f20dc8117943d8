package dev.llmgateway.provider;

/** The chunks of one streamed answer, pulled one at a time; close it to abandon the upstream request. */
public interface ChunkStream extends AutoCloseable {

    /** The next chunk, waiting for it if need be; {@code null} once the stream has ended normally. */
    Chunk next() throws ProviderException;

    @Override
    void close();
}
