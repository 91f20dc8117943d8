package dev.llmgateway.events;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChunkGapsTest {

    @Test
    void aStreamOfAnyLengthKeepsEachBucketsCountAndSumSoTheMeansFallInTheSameBuckets() {
        ChunkGaps gaps = ChunkGaps.measured();
        for (int i = 0; i < 1_000_000; i++) {
            gaps.add(5_000_000); // 5 ms: the first bucket
        }
        gaps.add(10_000_000); // exactly its bound: still the first
        gaps.add(30_000_000);
        gaps.add(50_000_000);
        gaps.add(100_000_000_000L); // past the last bound

        List<long[]> buckets = new ArrayList<>();
        gaps.forEach((count, mean) -> buckets.add(new long[]{count, mean}));

        assertThat(gaps.count()).isEqualTo(1_000_004);
        assertThat(buckets).hasSize(4);
        assertThat(buckets.get(0)[0]).isEqualTo(1_000_001);
        assertThat(buckets.get(0)[1]).isBetween(5_000_000L, 10_000_000L);
        assertThat(buckets.get(1)).containsExactly(1, 30_000_000);
        assertThat(buckets.get(2)).containsExactly(1, 50_000_000);
        assertThat(buckets.get(3)).containsExactly(1, 100_000_000_000L);
    }

    @Test
    void gapsNotMeasuredAddNothing() {
        ChunkGaps.NONE.add(5_000_000);
        assertThat(ChunkGaps.NONE.count()).isZero();
    }
}
