package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * luz's {@code luz_metric_accuracy}: the fraction of rows whose highest score is at the label's
 * class. Predictions are scores (logits or probabilities) of shape [N, C]; labels are class
 * indices 0..C-1 stored as numbers, of shape [N] or [N, 1].
 */
final class Accuracy {

    private static final String ABBREV = "acc";

    private Accuracy() {}

    /** The metric, {@code "acc"}. */
    static Metric create() {
        return new NamedMetric(
                ABBREV, "Acc", "Accuracy", m -> new HitRate(m, ABBREV, Accuracy::count));
    }

    private static HitCount count(NDArray predictions, NDArray labels) {
        NDArray y = Shapes.classLabels(ABBREV, predictions, labels);
        long classes = predictions.getShape().get(1);
        NDArray hits =
                predictions
                        .argMax(1)
                        .eq(ClassLabels.asIndices(y))
                        .toType(DataType.INT64, false)
                        .sum();
        return new HitCount(
                hits, ClassLabels.countInvalid(y, classes), y.size(), ClassLabels.rule(classes));
    }
}
