package io.github.luzj.data;

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
}
