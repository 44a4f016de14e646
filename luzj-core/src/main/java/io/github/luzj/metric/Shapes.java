package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.Checks;

/** Checks that predictions and labels fit a metric, and lines labels up with predictions. */
final class Shapes {

    private Shapes() {}

    /**
     * Checks class scores against class labels and returns the labels as a vector.
     *
     * @param metric the metric's abbreviation, for messages
     * @param predictions scores of shape [N, C]
     * @param labels class indices of shape [N] or [N, 1]
     * @return the labels with shape [N]
     */
    static NDArray classLabels(String metric, NDArray predictions, NDArray labels) {
        Shape p = predictions.getShape();
        Shape l = labels.getShape();
        Checks.check(
                p.dimension() == 2,
                "%s: predictions must have shape [N, classes], got %s (labels %s); flatten the"
                        + " model's output to one row of class scores per example",
                metric,
                p,
                l);
        long n = p.get(0);
        boolean vector = l.dimension() == 1 && l.get(0) == n;
        boolean column = l.dimension() == 2 && l.get(0) == n && l.get(1) == 1;
        Checks.check(
                vector || column,
                "%s: labels of shape %s do not match predictions of shape %s; labels must be class"
                        + " indices of shape [%s] or [%s, 1], one per row of predictions (not"
                        + " one-hot)",
                metric,
                l,
                p,
                n,
                n);
        return vector ? labels : labels.reshape(n);
    }

    /**
     * Lines up element-wise labels with predictions: the same shape, or [N] against [N, 1].
     *
     * @param metric the metric's abbreviation, for messages
     * @param predictions the predictions
     * @param labels the labels
     * @return the labels with the predictions' shape
     */
    static NDArray sameShape(String metric, NDArray predictions, NDArray labels) {
        Shape p = predictions.getShape();
        Shape l = labels.getShape();
        if (p.equals(l)) {
            return labels;
        }
        Checks.check(
                withoutTrailingOnes(p).equals(withoutTrailingOnes(l)),
                "%s: predictions of shape %s and labels of shape %s do not match; labels must have"
                        + " the predictions' shape (a vector [N] is accepted for predictions"
                        + " [N, 1]), so that no broadcasting mixes up examples",
                metric,
                p,
                l);
        return labels.reshape(p);
    }

    private static Shape withoutTrailingOnes(Shape s) {
        int d = s.dimension();
        while (d > 1 && s.get(d - 1) == 1) {
            d--;
        }
        return s.slice(0, d);
    }
}
