package io.github.luzj.examples.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's statistics: medians, paired ratios, memory growth. */
class BenchStatisticsTest {

    @Test
    void growthPerEpochIsTheRelativeTrendAfterTheFirstEpoch() {
        // the first epoch's warm-up (90 -> 100) is reported apart, not judged
        assertThat(Bench.growthPerEpoch(List.of(90.0, 100.0, 102.0, 104.0)))
                .isCloseTo(0.02, within(1e-12));
        assertThat(Bench.warmUpGrowth(List.of(90.0, 100.0, 102.0, 104.0)))
                .isCloseTo(10.0 / 90, within(1e-12));
        assertThat(Bench.growthPerEpoch(List.of(50.0, 100.0, 99.0)))
                .isCloseTo(-0.01, within(1e-12));
        assertThat(Bench.growthPerEpoch(List.of(100.0, 101.0))).isNaN();
        // a least-squares slope: one high reading in the middle counts, but less than a trend
        assertThat(Bench.growthPerEpoch(List.of(90.0, 100.0, 100.0, 110.0, 100.0)))
                .isCloseTo(0.01, within(1e-12));
        assertThat(Bench.growthPerEpoch(List.of(90.0, 100.0, 104.0, 96.0, 100.0)))
                .isCloseTo(-0.008, within(1e-12));
        assertThat(Bench.warmUpGrowth(List.of(100.0))).isNaN();
    }

    @Test
    void ratiosAreTheMedianOfEachRoundsOwnRatio() {
        // round 2 ran on a machine twice as slow for both variants: its ratio is still 1
        assertThat(Bench.paired(List.of(10.0, 20.0, 9.0), List.of(10.0, 20.0, 10.0)))
                .isEqualTo(1.0);
        // a real run (fit against fit+augmentation, seconds): one slow round of the second
        // variant; medians taken apart would give 6.09 / 6.63 = 0.92
        assertThat(Bench.paired(List.of(6.65, 6.09, 5.98), List.of(6.63, 6.67, 5.85)))
                .isCloseTo(6.65 / 6.63, within(1e-12));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(BenchReport.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(BenchReport.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(BenchReport.median(List.of())).isNaN();
    }
}
