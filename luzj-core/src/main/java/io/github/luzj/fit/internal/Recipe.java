package io.github.luzj.fit.internal;

import ai.djl.Device;
import ai.djl.training.loss.Loss;
import io.github.luzj.data.HostStaging;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.OptimizerSpec;
import java.util.List;

/**
 * What a model trains with, as {@code Luz.setup} was given it: the loss, the optimizer's
 * description, the metrics, the device and the layout image batches are staged in. A set-up model
 * and every session made from it share one.
 *
 * @param loss the loss
 * @param optimizer the optimizer's description
 * @param metrics the metrics beyond the loss
 * @param device the training device
 * @param channelsLast true to stage image batches channels-last ({@link HostStaging})
 * @param foldBatchNorm true to fold batch norm into the convolutions next to it in forward passes
 *     without training ({@link ForwardPass})
 * @param convolutionsAsMatmul true to run a convolution whose output is one pixel as a matrix
 *     product, training or not ({@link OnePixelConvolution})
 */
public record Recipe(
        Loss loss,
        OptimizerSpec optimizer,
        List<Metric> metrics,
        Device device,
        boolean channelsLast,
        boolean foldBatchNorm,
        boolean convolutionsAsMatmul) {

    /**
     * Copies the metrics, so that the recipe stays as it was made.
     *
     * @param loss the loss
     * @param optimizer the optimizer's description
     * @param metrics the metrics beyond the loss
     * @param device the training device
     * @param channelsLast true to stage image batches channels-last
     * @param foldBatchNorm true to fold batch norm into convolutions at inference
     * @param convolutionsAsMatmul true to run one-pixel convolutions as matrix products
     */
    public Recipe {
        metrics = List.copyOf(metrics);
    }

    /**
     * Returns this recipe on {@code device}.
     *
     * @param device the device
     * @return the recipe
     */
    public Recipe withDevice(Device device) {
        return new Recipe(loss, optimizer, metrics, device, channelsLast, foldBatchNorm, convolutionsAsMatmul);
    }

    /**
     * Returns this recipe with channels-last staging on or off.
     *
     * @param on true for channels-last
     * @return the recipe
     */
    public Recipe withChannelsLast(boolean on) {
        return new Recipe(loss, optimizer, metrics, device, on, foldBatchNorm, convolutionsAsMatmul);
    }

    /**
     * Returns this recipe with batch-norm folding at inference on or off.
     *
     * @param on true to fold
     * @return the recipe
     */
    public Recipe withFoldBatchNorm(boolean on) {
        return new Recipe(loss, optimizer, metrics, device, channelsLast, on, convolutionsAsMatmul);
    }

    /**
     * Returns this recipe with one-pixel convolutions as matrix products on or off.
     *
     * @param on true for matrix products
     * @return the recipe
     */
    public Recipe withConvolutionsAsMatmul(boolean on) {
        return new Recipe(loss, optimizer, metrics, device, channelsLast, foldBatchNorm, on);
    }

    /** The same loss, optimizer, device and layout, with no metric (a trial such as the LR finder's). */
    Recipe withoutMetrics() {
        return new Recipe(loss, optimizer, List.of(), device, channelsLast, foldBatchNorm, convolutionsAsMatmul);
    }
}
