package io.github.luzj.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;

/**
 * A batch assembled on the host by the loader: stacked features {@code [N, ...]} and labels
 * {@code [N, ...]}. The fit loop turns it into NDArrays in the batch's own manager, through a
 * {@link HostStaging} it reuses from batch to batch; a loop of your own should do the same.
 *
 * @param x stacked features
 * @param y stacked labels, or null for unlabeled examples
 */
public record HostBatch(FloatTensor x, FloatTensor y) {

    /**
     * Returns the number of examples in the batch.
     *
     * @return the batch size
     */
    public int size() {
        return (int) x.shape()[0];
    }

    /**
     * Tells whether the batch carries labels.
     *
     * @return true when {@link #y()} is not null
     */
    public boolean labeled() {
        return y != null;
    }

    /**
     * Creates the features as one float32 NDArray in {@code manager}, through a staging buffer
     * of its own (see {@link HostStaging#features}).
     *
     * @param manager the batch's manager, on the training device
     * @return the features
     */
    public NDList features(NDManager manager) {
        return new HostStaging().features(this, manager);
    }

    /**
     * Creates the labels as one float32 NDArray in {@code manager}, through a staging buffer of
     * its own (see {@link HostStaging#labels}).
     *
     * @param manager the batch's manager, on the training device
     * @return the labels, or null for an unlabeled batch
     */
    public NDList labels(NDManager manager) {
        return new HostStaging().labels(this, manager);
    }
}
