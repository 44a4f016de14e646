package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;

/**
 * Top-k accuracy: the fraction of rows whose label's class is among the {@code k} highest
 * scores. Predictions are scores of shape [N, C] with C >= k; labels are class indices of shape
 * [N] or [N, 1]. Ties at the k-th place are broken as PyTorch's {@code topk} breaks them.
 */
public final class TopKAccuracy implements Metric {

    private final int k;

    /**
     * Creates the metric; {@link Metrics#topKAccuracy(int)} is the usual way.
     *
     * @param k how many of the highest scores may hold the label, at least 1
     */
    public TopKAccuracy(int k) {
        Checks.check(k >= 1, "top-k accuracy needs k >= 1, got %d; use k = 5 for top-5", k);
        this.k = k;
    }

    /**
     * Returns k.
     *
     * @return how many of the highest scores may hold the label
     */
    public int k() {
        return k;
    }

    /** Returns {@code "top<k>_acc"}, such as {@code "top5_acc"}. */
    @Override
    public String abbrev() {
        return "top" + k + "_acc";
    }

    /** Returns {@code "Top-<k> Acc"}, such as {@code "Top-5 Acc"}. */
    @Override
    public String displayName() {
        return "Top-" + k + " Acc";
    }

    @Override
    public Accumulator newAccumulator(NDManager manager) {
        return new HitRate(manager, abbrev(), this::count);
    }

    private HitCount count(NDArray predictions, NDArray labels) {
        NDArray y = Shapes.classLabels(abbrev(), predictions, labels);
        long classes = predictions.getShape().get(1);
        if (k > classes) {
            throw new LuzjException(
                    abbrev()
                            + ": k = "
                            + k
                            + " but the predictions have only "
                            + classes
                            + " classes (shape "
                            + predictions.getShape()
                            + "); use k <= "
                            + classes);
        }
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

    @Override
    public String toString() {
        return "TopKAccuracy(k=" + k + ")";
    }
}
