package io.github.luzj.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.LuzjException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TopKAccuracyTest extends MetricFixture {

    // row 0 ranks classes 3,2,1,0; row 1 ranks 0,1,2,3; row 2 ranks 1,3,0,2
    private static final float[] PRED = {
        0.1f, 0.2f, 0.3f, 0.4f, 0.4f, 0.3f, 0.2f, 0.1f, 0.2f, 0.4f, 0.1f, 0.3f
    };
    private static final float[] LABELS = {1, 1, 3};

    @Test
    void names() {
        assertThat(Metrics.topKAccuracy(5).abbrev()).isEqualTo("top5_acc");
        assertThat(Metrics.topKAccuracy(5).displayName()).isEqualTo("Top-5 Acc");
        assertThat(Metrics.topKAccuracy(5)).hasToString("TopKAccuracy(k=5)");
    }

    @Test
    void countsLabelsAmongTheKHighestScores() {
        double[] expected = {0.0, 2.0 / 3, 1.0, 1.0}; // k = 1..4
        for (int k = 1; k <= 4; k++) {
            Metric.Accumulator acc = Metrics.topKAccuracy(k).newAccumulator(manager);
            update(acc, PRED, new Shape(3, 4), LABELS, new Shape(3, 1));
            assertThat(acc.compute()).as("k=%d", k).isCloseTo(expected[k - 1], within(1e-12));
        }
    }

    @Test
    void agreesWithAHostReferenceOverBatchesAndResets() {
        Random rnd = new Random(42);
        int classes = 10;
        int k = 3;
        Metric.Accumulator top = Metrics.topKAccuracy(k).newAccumulator(manager);
        Metric.Accumulator top1 = Metrics.topKAccuracy(1).newAccumulator(manager);
        Metric.Accumulator acc = Metrics.accuracy().newAccumulator(manager);
        top.update(
                new ai.djl.ndarray.NDList(manager.create(PRED, new Shape(3, 4))),
                new ai.djl.ndarray.NDList(manager.create(LABELS)));
        top.reset();
        long hits = 0;
        long total = 0;
        for (int batch : new int[] {7, 16, 1}) {
            float[] scores = new float[batch * classes];
            float[] labels = new float[batch];
            for (int i = 0; i < batch; i++) {
                for (int c = 0; c < classes; c++) {
                    scores[i * classes + c] = rnd.nextFloat();
                }
                labels[i] = rnd.nextInt(classes);
                int above = 0;
                for (int c = 0; c < classes; c++) {
                    if (scores[i * classes + c] > scores[i * classes + (int) labels[i]]) {
                        above++;
                    }
                }
                hits += above < k ? 1 : 0;
            }
            total += batch;
            Shape s = new Shape(batch, classes);
            update(top, scores, s, labels, new Shape(batch));
            update(top1, scores, s, labels, new Shape(batch));
            update(acc, scores, s, labels, new Shape(batch));
        }
        assertThat(top.compute()).isCloseTo((double) hits / total, within(1e-12));
        assertThat(top1.compute()).isEqualTo(acc.compute());
    }

    @Test
    void rejectsBadK() {
        assertThatThrownBy(() -> Metrics.topKAccuracy(0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got 0");
        Metric.Accumulator acc = Metrics.topKAccuracy(5).newAccumulator(manager);
        assertThatThrownBy(() -> update(acc, PRED, new Shape(3, 4), LABELS, new Shape(3)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("k = 5")
                .hasMessageContaining("(3, 4)");
    }

    @Test
    void labelsOutOfRangeFailAtCompute() {
        Metric.Accumulator acc = Metrics.topKAccuracy(2).newAccumulator(manager);
        update(acc, PRED, new Shape(3, 4), new float[] {1, 4, 3}, new Shape(3));
        assertThatThrownBy(acc::compute)
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("1 of 3 labels")
                .hasMessageContaining("[0, 4)");
    }
}
