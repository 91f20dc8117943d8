package dev.llmgateway.events;

import java.util.Arrays;
import java.util.List;

/**
 * The times between a stream's output chunks, kept as a histogram: a count and a sum per bucket, so a stream of any
 * length costs the same few bytes. Its buckets are the GenAI conventions' advice for
 * {@code gen_ai.client.operation.time_per_output_chunk}, so that the gaps recorded again at each bucket's mean fall in
 * the same buckets with the same sum.
 */
public final class ChunkGaps {

    /** Upper bounds in seconds; the last bucket has none. */
    public static final List<Double> BOUNDS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    private static final long[] BOUND_NANOS = BOUNDS.stream().mapToLong(seconds -> Math.round(seconds * 1e9)).toArray();

    /** Gaps not measured: adds nothing. Made after the bounds it is sized by. */
    public static final ChunkGaps NONE = new ChunkGaps(false);

    private final boolean measuring;
    private final long[] counts = new long[BOUND_NANOS.length + 1];
    private final long[] sums = new long[BOUND_NANOS.length + 1];

    private ChunkGaps(boolean measuring) {
        this.measuring = measuring;
    }

    /** Gaps to measure, for one stream. */
    public static ChunkGaps measured() {
        return new ChunkGaps(true);
    }

    /** Adds one gap; only the stream that measures it adds. */
    public void add(long nanos) {
        if (!measuring) {
            return;
        }
        int bucket = Arrays.binarySearch(BOUND_NANOS, nanos);
        int index = bucket >= 0 ? bucket : -bucket - 1; // a gap equal to a bound belongs to that bound's bucket
        counts[index]++;
        sums[index] += nanos;
    }

    /** Each bucket's gaps as their count and their mean. */
    public void forEach(Bucket bucket) {
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                bucket.accept(counts[i], sums[i] / counts[i]);
            }
        }
    }

    public long count() {
        return Arrays.stream(counts).sum();
    }

    /** One non-empty bucket. */
    @FunctionalInterface
    public interface Bucket {
        void accept(long count, long meanNanos);
    }
}
