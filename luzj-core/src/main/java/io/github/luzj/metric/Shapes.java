package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.LuzjException;

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
        if (p.dimension() != 2) {
            throw new LuzjException(
                    metric
                            + ": predictions must have shape [N, classes], got "
                            + p
                            + " (labels "
                            + l
                            + "); flatten the model's output to one row of class scores per"
                            + " example");
        }
        long n = p.get(0);
        boolean vector = l.dimension() == 1 && l.get(0) == n;
        boolean column = l.dimension() == 2 && l.get(0) == n && l.get(1) == 1;
        if (!vector && !column) {
            throw new LuzjException(
                    metric
                            + ": labels of shape "
                            + l
                            + " do not match predictions of shape "
                            + p
                            + "; labels must be class indices of shape ["
                            + n
                            + "] or ["
                            + n
                            + ", 1], one per row of predictions (not one-hot)");
        }
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
        if (withoutTrailingOnes(p).equals(withoutTrailingOnes(l))) {
            return labels.reshape(p);
        }
        throw new LuzjException(
                metric
                        + ": predictions of shape "
                        + p
                        + " and labels of shape "
                        + l
                        + " do not match; labels must have the predictions' shape (a vector [N]"
                        + " is accepted for predictions [N, 1]), so that no broadcasting mixes"
                        + " up examples");
    }

    private static Shape withoutTrailingOnes(Shape s) {
        int d = s.dimension();
        while (d > 1 && s.get(d - 1) == 1) {
            d--;
        }
        return s.slice(0, d);
    }
}
