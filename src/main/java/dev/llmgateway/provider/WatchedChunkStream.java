package dev.llmgateway.provider;

/**
 * A stream passed through to its reader while a subclass watches it: each chunk, the time spent waiting for each,
 * and, exactly once, how it ended: after its last chunk, on a failure, or closed before its end.
 */
public abstract class WatchedChunkStream implements ChunkStream {

    private final ChunkStream delegate;
    private boolean ended;

    protected WatchedChunkStream(ChunkStream delegate) {
        this.delegate = delegate;
    }

    @Override
    public final Chunk next() throws ProviderException {
        long start = System.nanoTime();
        Chunk chunk;
        try {
            chunk = delegate.next();
        } catch (ProviderException | RuntimeException e) {
            waited(System.nanoTime() - start);
            end(StreamEnd.ERROR, e);
            throw e;
        }
        waited(System.nanoTime() - start);
        if (chunk == null) {
            end(StreamEnd.COMPLETE, null);
        } else {
            seen(chunk);
        }
        return chunk;
    }

    @Override
    public final void close() {
        try {
            delegate.close();
        } finally {
            end(StreamEnd.CANCELLED, null);
        }
    }

    private void end(StreamEnd how, Throwable failure) {
        if (!ended) {
            ended = true;
            ended(how, failure);
        }
    }

    /** Time spent waiting for the next chunk (or the end). */
    protected void waited(long nanos) {
    }

    /** A chunk on its way to the reader. */
    protected void seen(Chunk chunk) {
    }

    /** The stream ended; called once. @param failure what broke it, when {@code how} is ERROR */
    protected abstract void ended(StreamEnd how, Throwable failure);
}
