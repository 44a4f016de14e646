package io.github.luzj.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.LuzjException;
import org.junit.jupiter.api.Test;

class AccuracyTest extends MetricFixture {

    private static final float[] PRED1 = {0.1f, 0.9f, 0.8f, 0.2f, 0.3f, 0.7f};
    private static final float[] PRED2 = {1f, 0f, 0f, 1f};

    @Test
    void namesFollowLuz() {
        Metric m = Metrics.accuracy();
        assertThat(m.abbrev()).isEqualTo("acc");
        assertThat(m.displayName()).isEqualTo("Acc");
        assertThat(m).hasToString("Accuracy");
    }

    @Test
    void countsArgmaxHitsOverBatchesAndResets() {
        Metric.Accumulator acc = Metrics.accuracy().newAccumulator(manager);
        assertThat(acc.compute()).isNaN();
        // argmax 1, 0, 1 against 1, 0, 0: two hits of three
        update(acc, PRED1, new Shape(3, 2), new float[] {1, 0, 0}, new Shape(3));
        assertThat(acc.compute()).isCloseTo(2.0 / 3, within(1e-12));
        // labels as a column [N, 1]: argmax 0, 1 against 0, 0: one hit of two
        update(acc, PRED2, new Shape(2, 2), new float[] {0, 0}, new Shape(2, 1));
        assertThat(acc.compute()).isCloseTo(3.0 / 5, within(1e-12));

        acc.reset();
        assertThat(acc.compute()).isNaN();
        update(acc, PRED2, new Shape(2, 2), new float[] {0, 0}, new Shape(2, 1));
        assertThat(acc.compute()).isEqualTo(0.5);
    }

    @Test
    void mismatchedShapesNameBoth() {
        Metric.Accumulator acc = Metrics.accuracy().newAccumulator(manager);
        assertThatThrownBy(
                        () -> update(acc, PRED1, new Shape(3, 2), new float[] {1, 0}, new Shape(2)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("(3, 2)")
                .hasMessageContaining("(2)");
        assertThatThrownBy(
                        () ->
                                update(
                                        acc,
                                        PRED1,
                                        new Shape(3, 2),
                                        PRED1,
                                        new Shape(3, 2))) // one-hot labels
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("one-hot");
    }

    @Test
    void labelsOutOfRangeFailAtComputeNotPerBatch() {
        for (float bad : new float[] {2f, -1f, 0.5f, Float.NaN}) {
            Metric.Accumulator acc = Metrics.accuracy().newAccumulator(manager);
            update(acc, PRED1, new Shape(3, 2), new float[] {1, bad, 0}, new Shape(3));
            assertThatThrownBy(acc::compute)
                    .as("label %s", bad)
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("1 of 3 labels")
                    .hasMessageContaining("[0, 2)");
            acc.reset();
            update(acc, PRED1, new Shape(3, 2), new float[] {1, 0, 1}, new Shape(3));
            assertThat(acc.compute()).isEqualTo(1.0);
        }
    }

    @Test
    void updatesLeaveNoArraysBehind() {
        Metric.Accumulator acc = Metrics.accuracy().newAccumulator(manager);
        int before = manager.getManagedArrays().size();
        try (NDManager batch = manager.newSubManager()) {
            NDList x = new NDList(batch.create(PRED1, new Shape(3, 2)));
            NDList y = new NDList(batch.create(new float[] {1, 0, 0}, new Shape(3)));
            for (int i = 0; i < 5; i++) {
                acc.update(x, y);
            }
            assertThat(batch.getManagedArrays()).hasSize(2);
        }
        assertThat(manager.getManagedArrays()).hasSize(before);
        assertThat(acc.compute()).isCloseTo(2.0 / 3, within(1e-12));
    }
}
