package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.luzj.base.Checks;

/**
 * luz's {@code luz_metric_binary_accuracy} and {@code luz_metric_binary_accuracy_with_logits}:
 * the fraction of outputs on the label's side of a threshold. Labels are 0 or 1, with the
 * predictions' shape ([N] is accepted for predictions [N, 1] and vice versa); every element counts.
 *
 * <p>For logits the threshold is applied to {@code sigmoid(logit)}; the metric compares the logit
 * with {@code log(t / (1 - t))} instead, which is the same test without the float32 saturation of
 * the sigmoid near 0 and 1.
 */
final class BinaryAccuracy {

    private static final String ABBREV = "binary_acc";

    private BinaryAccuracy() {}

    /**
     * The metric, {@code "binary_acc"}; {@link Metrics#binaryAccuracy(double)} and {@link
     * Metrics#binaryAccuracyWithLogits()} are the usual ways.
     *
     * @param threshold the probability above which an output means class 1, in (0, 1)
     * @param logits whether the model outputs logits (true) or probabilities (false)
     * @return the metric
     */
    static Metric create(double threshold, boolean logits) {
        Checks.check(
                threshold > 0 && threshold < 1,
                "binary accuracy's threshold must be a probability in (0, 1), got %s; use 0.5"
                        + " unless the classes are unbalanced",
                threshold);
        double cut = logits ? Math.log(threshold / (1 - threshold)) : threshold;
        return new NamedMetric(
                ABBREV,
                "Binary Acc",
                "BinaryAccuracy(threshold=" + threshold + (logits ? ", logits)" : ")"),
                m -> new HitRate(m, ABBREV, (p, y) -> count(p, y, cut)));
    }

    private static HitCount count(NDArray predictions, NDArray labels, double cut) {
        NDArray y = Shapes.sameShape(ABBREV, predictions, labels);
        NDArray positive = y.eq(1);
        NDArray hits = predictions.gt(cut).eq(positive).toType(DataType.INT64, false).sum();
        NDArray invalid =
                positive.logicalOr(y.eq(0)).logicalNot().toType(DataType.INT64, false).sum();
        return new HitCount(hits, invalid, predictions.size(), "0 or 1");
    }
}
