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

        List<long[]> again = new ArrayList<>();
        gaps.forEach((nanos, times) -> again.add(new long[]{nanos, times}));

        assertThat(gaps.count()).isEqualTo(1_000_004);
        // the first bucket: its smallest and largest as they were, the other 999,999 at their mean
        assertThat(again.get(0)).containsExactly(5_000_000, 1);
        assertThat(again.get(1)).containsExactly(10_000_000, 1);
        assertThat(again.get(2)).containsExactly(5_000_000, 999_999);
        assertThat(again.subList(3, again.size())).containsExactly(new long[]{30_000_000, 1}, new long[]{50_000_000, 1},
                new long[]{100_000_000_000L, 1});
        assertThat(again.stream().mapToLong(g -> g[1]).sum()).isEqualTo(gaps.count());
    }

    @Test
    void gapsNotMeasuredAddNothing() {
        ChunkGaps.NONE.add(5_000_000);
        assertThat(ChunkGaps.NONE.count()).isZero();
    }
}
