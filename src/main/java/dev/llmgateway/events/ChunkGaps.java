package dev.llmgateway.events;

import java.util.Arrays;
import java.util.List;

/**
 * The times between a stream's output chunks, kept as a histogram: per bucket a count, a sum, the smallest and the
 * largest, so a stream of any length costs the same few hundred bytes. Its buckets are the GenAI conventions' advice
 * for {@code gen_ai.client.operation.time_per_output_chunk}, so that the gaps recorded again from it fall in the same
 * buckets with the same smallest, largest and (to the nanosecond per gap) sum.
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
    private final long[] mins = new long[BOUND_NANOS.length + 1];
    private final long[] maxes = new long[BOUND_NANOS.length + 1];

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
        if (counts[index]++ == 0 || nanos < mins[index]) {
            mins[index] = nanos;
        }
        maxes[index] = Math.max(maxes[index], nanos);
        sums[index] += nanos;
    }

    /**
     * Each bucket's gaps again, as few values as keep the histogram the same: its smallest and its largest as they were,
     * the others at their mean (so the sum differs by less than a nanosecond per gap).
     */
    public void forEach(Gap gap) {
        for (int i = 0; i < counts.length; i++) {
            long count = counts[i];
            if (count == 0) {
                continue;
            }
            gap.accept(mins[i], 1);
            if (count > 1) {
                gap.accept(maxes[i], 1);
            }
            if (count > 2) {
                gap.accept((sums[i] - mins[i] - maxes[i]) / (count - 2), count - 2);
            }
        }
    }

    public long count() {
        return Arrays.stream(counts).sum();
    }

    /** A gap's length, and how many gaps had it. */
    @FunctionalInterface
    public interface Gap {
        void accept(long nanos, long times);
    }
}
