package io.github.luzj.loss;

import ai.djl.training.loss.L1Loss;
import ai.djl.training.loss.L2Loss;
import ai.djl.training.loss.Loss;
import ai.djl.training.loss.SigmoidBinaryCrossEntropyLoss;

/**
 * Losses under torch's names with torch's values (the mean over the batch), so that a
 * regression's recorded loss equals its {@code mse} metric. DJL's {@code Loss.l2Loss()} is half
 * the squared error; {@link #mse()} is not. Labels are reshaped to the predictions' shape, so a
 * {@code [N, 1]} output and {@code [N]} targets line up (torch would broadcast them to
 * {@code [N, N]}).
 *
 * <pre>{@code
 * Luz.setup(net, Losses.mse(), Optimizers.adam(), Metrics.mae())             // regression
 * Luz.setup(net, Losses.crossEntropy(), Optimizers.adam(), Metrics.accuracy())  // classes
 * Luz.setup(net, Losses.bceWithLogits(), Optimizers.adam(),
 *         Metrics.binaryAccuracyWithLogits())                               // yes or no
 * }</pre>
 */
public final class Losses {

    private Losses() {}

    /**
     * torch's {@code nn.MSELoss()}, {@code "mse"}: the mean of {@code (pred - y)²}.
     *
     * @return the loss
     */
    public static Loss mse() {
        return new L2Loss("mse", 1f);
    }

    /**
     * torch's {@code nn.L1Loss()}, {@code "mae"}: the mean of {@code |pred - y|}.
     *
     * @return the loss
     */
    public static Loss mae() {
        return new L1Loss("mae", 1f);
    }

    /**
     * torch's {@code nn.CrossEntropyLoss()}, {@code "cross_entropy"}: raw scores {@code [N, C]}
     * (no softmax layer) against class indices {@code [N]}, {@code -log softmax(pred)[y]}
     * averaged over the batch. On the CPU, a label that is not a whole number is refused, as
     * torch refuses float class indices (DJL would truncate it).
     *
     * @return the loss
     */
    public static Loss crossEntropy() {
        return new ClassIndexCrossEntropy("cross_entropy");
    }

    /**
     * torch's {@code nn.BCEWithLogitsLoss()}, {@code "bce_with_logits"}: one logit per example
     * against labels 0 or 1, computed stably from the logit.
     *
     * @return the loss
     */
    public static Loss bceWithLogits() {
        return new SigmoidBinaryCrossEntropyLoss("bce_with_logits", 1f, false);
    }
}
