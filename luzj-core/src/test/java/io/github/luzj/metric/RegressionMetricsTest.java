package io.github.luzj.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.LuzjException;
import org.junit.jupiter.api.Test;

class RegressionMetricsTest extends MetricFixture {

    /** Errors 0.5, 0, -2 then -1, 1, with [N, 1] predictions against [N] labels and back. */
    private double run(Metric metric) {
        Metric.Accumulator acc = metric.newAccumulator(manager);
        update(acc, new float[] {1, 2, 3}, new Shape(3, 1), new float[] {1.5f, 2, 5}, new Shape(3));
        update(acc, new float[] {0, 0}, new Shape(2), new float[] {1, -1}, new Shape(2, 1));
        return acc.compute();
    }

    @Test
    void namesFollowLuz() {
        assertThat(Metrics.mae().abbrev()).isEqualTo("mae");
        assertThat(Metrics.mse().abbrev()).isEqualTo("mse");
        assertThat(Metrics.rmse().abbrev()).isEqualTo("rmse");
        assertThat(Metrics.rmse().displayName()).isEqualTo("RMSE");
    }

    @Test
    void oneClassServesAllThreeUnderTheirOwnNames() {
        assertThat(Metrics.mae().displayName()).isEqualTo("MAE");
        assertThat(Metrics.mse().displayName()).isEqualTo("MSE");
        assertThat(Metrics.mae()).hasToString("MeanAbsoluteError");
        assertThat(Metrics.mse()).hasToString("MeanSquaredError");
        assertThat(Metrics.rmse()).hasToString("RootMeanSquaredError");
    }

    @Test
    void knownValuesOverTwoBatches() {
        assertThat(run(Metrics.mae())).isCloseTo(4.5 / 5, within(1e-12));
        assertThat(run(Metrics.mse())).isCloseTo(6.25 / 5, within(1e-12));
        assertThat(run(Metrics.rmse())).isCloseTo(Math.sqrt(6.25 / 5), within(1e-12));
    }

    @Test
    void rmseIsTheRootOfTheMeanOverAllElementsNotAMeanOfBatchRoots() {
        Metric.Accumulator rmse = Metrics.rmse().newAccumulator(manager);
        Metric.Accumulator mse = Metrics.mse().newAccumulator(manager);
        for (Metric.Accumulator a : new Metric.Accumulator[] {rmse, mse}) {
            // three elements off by 1, then one off by 3: (3 + 9) / 4 = 3
            Shape row = new Shape(1, 3);
            update(a, new float[] {1, 1, 1}, row, new float[] {0, 2, 0}, row);
            update(a, new float[] {3}, new Shape(1, 1), new float[] {0}, new Shape(1, 1));
        }
        assertThat(mse.compute()).isCloseTo(3.0, within(1e-12));
        assertThat(rmse.compute()).isCloseTo(Math.sqrt(3.0), within(1e-12));
    }

    @Test
    void runningSumsResumeMidEpoch() {
        Metric.Accumulator first = Metrics.rmse().newAccumulator(manager);
        update(first, new float[] {1, 1, 1}, new Shape(3), new float[] {0, 2, 0}, new Shape(3));
        Metric.Accumulator resumed = Metrics.rmse().newAccumulator(manager);
        resumed.restore(first.state());
        update(resumed, new float[] {3}, new Shape(1), new float[] {0}, new Shape(1));
        assertThat(resumed.state()).containsExactly(12, 4);
        assertThat(resumed.compute()).isCloseTo(Math.sqrt(3.0), within(1e-12));
        assertThatThrownBy(() -> resumed.restore(new double[] {1, 0.5}))
                .isInstanceOf(LuzjException.class)
                .hasMessage("the saved running sums of rmse are not valid: [1.0, 0.5]");
    }

    @Test
    void resetStartsOver() {
        Metric.Accumulator acc = Metrics.mae().newAccumulator(manager);
        update(acc, new float[] {Float.NaN}, new Shape(1), new float[] {0}, new Shape(1));
        assertThat(acc.compute()).isNaN();
        acc.reset();
        assertThat(acc.compute()).isNaN();
        update(acc, new float[] {2, 4}, new Shape(2), new float[] {1, 1}, new Shape(2));
        assertThat(acc.compute()).isCloseTo(2.0, within(1e-12));
    }

    @Test
    void mismatchedShapesNameBothInsteadOfBroadcasting() {
        Metric.Accumulator acc = Metrics.mse().newAccumulator(manager);
        assertThatThrownBy(
                        () ->
                                update(
                                        acc,
                                        new float[] {1, 2, 3},
                                        new Shape(3, 1),
                                        new float[] {1, 2},
                                        new Shape(2)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("mse")
                .hasMessageContaining("(3, 1)")
                .hasMessageContaining("(2)");
    }
}
