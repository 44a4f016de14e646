package io.github.luzj.metric;

/**
 * The built-in metrics, named as in luz. Each accumulates on the device and reads one value to
 * the host per epoch.
 *
 * <pre>{@code
 * Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam(),
 *         Metrics.accuracy(), Metrics.topKAccuracy(5))
 * }</pre>
 */
public final class Metrics {

    private Metrics() {}

    /**
     * luz's {@code luz_metric_accuracy}, {@code "acc"}: argmax of [N, C] scores against class
     * indices.
     *
     * @return the metric
     */
    public static Metric accuracy() {
        return Accuracy.create();
    }

    /**
     * luz's {@code luz_metric_binary_accuracy}, {@code "binary_acc"}: probabilities above
     * {@code threshold} mean class 1.
     *
     * @param threshold the probability threshold, in (0, 1)
     * @return the metric
     */
    public static Metric binaryAccuracy(double threshold) {
        return BinaryAccuracy.create(threshold, false);
    }

    /**
     * {@link #binaryAccuracy(double)} with the threshold 0.5.
     *
     * @return the metric
     */
    public static Metric binaryAccuracy() {
        return binaryAccuracy(0.5);
    }

    /**
     * luz's {@code luz_metric_binary_accuracy_with_logits}, {@code "binary_acc"}: logits whose
     * sigmoid is above 0.5 (logits above 0) mean class 1.
     *
     * @return the metric
     */
    public static Metric binaryAccuracyWithLogits() {
        return binaryAccuracyWithLogits(0.5);
    }

    /**
     * {@link #binaryAccuracyWithLogits()} with a probability threshold other than 0.5.
     *
     * @param threshold the threshold on {@code sigmoid(logit)}, in (0, 1)
     * @return the metric
     */
    public static Metric binaryAccuracyWithLogits(double threshold) {
        return BinaryAccuracy.create(threshold, true);
    }

    /**
     * Top-k accuracy, {@code "top<k>_acc"}: the label's class is among the k highest scores.
     *
     * @param k how many of the highest scores may hold the label, at least 1
     * @return the metric
     */
    public static Metric topKAccuracy(int k) {
        return TopKAccuracy.create(k);
    }

    /**
     * luz's {@code luz_metric_mae}, {@code "mae"}: mean absolute error over all elements.
     *
     * @return the metric
     */
    public static Metric mae() {
        return MeanError.absolute();
    }

    /**
     * luz's {@code luz_metric_mse}, {@code "mse"}: mean squared error over all elements.
     *
     * @return the metric
     */
    public static Metric mse() {
        return MeanError.squared();
    }

    /**
     * luz's {@code luz_metric_rmse}, {@code "rmse"}: the square root of the epoch's mean squared
     * error over all elements.
     *
     * @return the metric
     */
    public static Metric rmse() {
        return MeanError.rootSquared();
    }
}
