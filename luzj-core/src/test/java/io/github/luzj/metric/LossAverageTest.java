package io.github.luzj.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDManager;
import io.github.luzj.base.LuzjException;
import org.junit.jupiter.api.Test;

class LossAverageTest extends MetricFixture {

    @Test
    void weightsBatchMeansBySize() {
        LossAverage avg = new LossAverage(manager);
        assertThat(avg.compute()).isNaN();
        try (NDManager batch = manager.newSubManager()) {
            avg.update(batch.create(2f), 3);
            avg.update(batch.create(new float[] {1f}), 1); // one-element arrays are accepted
            assertThat(batch.getManagedArrays()).hasSize(2);
        }
        assertThat(avg.compute()).isCloseTo(7.0 / 4, within(1e-12));
    }

    @Test
    void sumsEachLossTimesItsSizeInFloat32AndHoldsNoArrayPerBatch() {
        LossAverage avg = new LossAverage(manager);
        float[] losses = {0.1234567f, 2.7182817f, 0.3333333f, 1.4142135f};
        int[] sizes = {100, 100, 37, 100};
        double expected = 0;
        int held = -1;
        for (int i = 0; i < losses.length; i++) {
            // the product rounds to float32 as loss.mul(size) does; the sum is float64
            expected += losses[i] * (float) sizes[i];
            try (NDManager batch = manager.newSubManager()) {
                avg.update(batch.create(losses[i]), sizes[i]);
            }
            if (i == 0) {
                held = manager.getManagedArrays().size();
            }
            assertThat(manager.getManagedArrays()).hasSize(held);
        }
        assertThat(avg.state()).containsExactly(expected, 337);
    }

    @Test
    void resetClearsADivergedEpoch() {
        LossAverage avg = new LossAverage(manager);
        avg.update(manager.create(Float.NaN), 4);
        assertThat(avg.compute()).isNaN();
        avg.reset();
        avg.update(manager.create(0.25f), 2);
        assertThat(avg.compute()).isEqualTo(0.25);
    }

    @Test
    void runningSumAndCountResumeMidEpoch() {
        LossAverage first = new LossAverage(manager);
        first.update(manager.create(2f), 3);
        LossAverage resumed = new LossAverage(manager);
        resumed.restore(first.state());
        resumed.update(manager.create(1f), 1);
        assertThat(resumed.state()).containsExactly(7, 4);
        assertThat(resumed.compute()).isCloseTo(7.0 / 4, within(1e-12));
        assertThatThrownBy(() -> resumed.restore(new double[] {1}))
                .isInstanceOf(LuzjException.class)
                .hasMessage("the saved running sums of loss must be 2 numbers, got [1.0]");
    }

    @Test
    void rejectsPerExampleLosses() {
        LossAverage avg = new LossAverage(manager);
        assertThatThrownBy(() -> avg.update(manager.create(new float[] {1, 2}), 2))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("(2)");
    }
}
