package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.luzj.base.Checks;

/**
 * Top-k accuracy: the fraction of rows whose label's class is among the {@code k} highest
 * scores. Predictions are scores of shape [N, C] with C >= k; labels are class indices of shape
 * [N] or [N, 1]. Ties at the k-th place are broken as PyTorch's {@code topk} breaks them.
 */
final class TopKAccuracy {

    private TopKAccuracy() {}

    /**
     * The metric, {@code "top<k>_acc"} shown as {@code "Top-<k> Acc"} (such as {@code "top5_acc"},
     * {@code "Top-5 Acc"}); {@link Metrics#topKAccuracy(int)} is the usual way.
     *
     * @param k how many of the highest scores may hold the label, at least 1
     * @return the metric
     */
    static Metric create(int k) {
        Checks.check(k >= 1, "top-k accuracy needs k >= 1, got %d; use k = 5 for top-5", k);
        String abbrev = "top" + k + "_acc";
        return new NamedMetric(
                abbrev,
                "Top-" + k + " Acc",
                "TopKAccuracy(k=" + k + ")",
                m -> new HitRate(m, abbrev, (p, y) -> count(abbrev, k, p, y)));
    }

    private static HitCount count(String abbrev, int k, NDArray predictions, NDArray labels) {
        NDArray y = Shapes.classLabels(abbrev, predictions, labels);
        long classes = predictions.getShape().get(1);
        Checks.check(
                k <= classes,
                "%s: k = %s but the predictions have only %s classes (shape %s); use k <= %s",
                abbrev,
                k,
                classes,
                predictions.getShape(),
                classes);
        long n = y.size();
        NDArray top = predictions.topK(k, 1, true, false).get(1);
        // each row's top-k indices are distinct, so a row matches at most once
        NDArray hits =
                top.eq(ClassLabels.asIndices(y).reshape(n, 1))
                        .toType(DataType.INT64, false)
                        .sum();
        return new HitCount(
                hits, ClassLabels.countInvalid(y, classes), n, ClassLabels.rule(classes));
    }
}
