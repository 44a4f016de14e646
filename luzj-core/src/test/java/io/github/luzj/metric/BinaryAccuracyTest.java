package io.github.luzj.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.LuzjException;
import org.junit.jupiter.api.Test;

class BinaryAccuracyTest extends MetricFixture {

    private static final float[] PROBS = {0.2f, 0.7f, 0.5f, 0.9f};
    private static final float[] LABELS = {0, 1, 1, 0};

    @Test
    void names() {
        assertThat(Metrics.binaryAccuracy().abbrev()).isEqualTo("binary_acc");
        assertThat(Metrics.binaryAccuracyWithLogits().abbrev()).isEqualTo("binary_acc");
        assertThat(Metrics.binaryAccuracy().displayName()).isEqualTo("Binary Acc");
        assertThat(Metrics.binaryAccuracy(0.3)).hasToString("BinaryAccuracy(threshold=0.3)");
        assertThat(Metrics.binaryAccuracyWithLogits())
                .hasToString("BinaryAccuracy(threshold=0.5, logits)");
    }

    @Test
    void thresholdsProbabilities() {
        Metric.Accumulator half = Metrics.binaryAccuracy(0.5).newAccumulator(manager);
        // 0.5 is not above 0.5: predictions 0,1,0,1 against 0,1,1,0
        update(half, PROBS, new Shape(4, 1), LABELS, new Shape(4));
        assertThat(half.compute()).isEqualTo(0.5);

        Metric.Accumulator low = Metrics.binaryAccuracy(0.3).newAccumulator(manager);
        update(low, PROBS, new Shape(4), LABELS, new Shape(4, 1));
        assertThat(low.compute()).isEqualTo(0.75);
    }

    @Test
    void logitsAreThresholdedThroughTheSigmoid() {
        Metric.Accumulator acc = Metrics.binaryAccuracyWithLogits().newAccumulator(manager);
        update(acc, new float[] {-1f, 2f, 0f, 3f}, new Shape(4), LABELS, new Shape(4));
        assertThat(acc.compute()).isEqualTo(0.5);
        // at 0.5 both logits mean class 1: one hit of two more
        update(acc, new float[] {0.8f, 0.9f}, new Shape(2, 1), new float[] {0, 1}, new Shape(2, 1));
        assertThat(acc.compute()).isEqualTo(3.0 / 6);
        acc.reset();
        // sigmoid(0.8) = 0.69 and sigmoid(0.9) = 0.71 fall either side of 0.7
        Metric.Accumulator seven = Metrics.binaryAccuracyWithLogits(0.7).newAccumulator(manager);
        update(seven, new float[] {0.8f, 0.9f}, new Shape(2), new float[] {0, 1}, new Shape(2));
        assertThat(seven.compute()).isEqualTo(1.0);
        assertThat(acc.compute()).isNaN();
    }

    @Test
    void countsEveryElementOfMultiOutputPredictions() {
        Metric.Accumulator acc = Metrics.binaryAccuracy().newAccumulator(manager);
        update(acc, PROBS, new Shape(2, 2), LABELS, new Shape(2, 2));
        update(acc, new float[] {0.9f, 0.1f}, new Shape(1, 2), new float[] {1, 1}, new Shape(1, 2));
        assertThat(acc.compute()).isEqualTo(3.0 / 6);
    }

    @Test
    void rejectsBadThresholdShapesAndLabels() {
        assertThatThrownBy(() -> Metrics.binaryAccuracy(1.0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got 1.0");
        Metric.Accumulator acc = Metrics.binaryAccuracy().newAccumulator(manager);
        assertThatThrownBy(() -> update(acc, PROBS, new Shape(4, 1), LABELS, new Shape(2, 2)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("(4, 1)")
                .hasMessageContaining("(2, 2)");
        update(acc, PROBS, new Shape(4), new float[] {0, 1, 2, 0}, new Shape(4));
        assertThatThrownBy(acc::compute)
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("1 of 4 labels")
                .hasMessageContaining("0 or 1");
    }
}
