package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * The mean loss over an epoch, weighted by batch size. The fit loop always records it as
 * {@code "loss"}; it is fed the batch's loss rather than predictions and labels.
 */
public final class LossAverage {

    private final NDManager manager;
    private NDArray sum;
    private long count;

    /**
     * Creates an empty average whose sum lives in {@code manager}.
     *
     * @param manager the owner of the running sum
     */
    public LossAverage(NDManager manager) {
        this.manager = manager;
        this.sum = manager.zeros(new Shape());
    }

    /**
     * Adds a batch's mean loss.
     *
     * @param loss the batch's mean loss (a scalar)
     * @param batchSize the batch's size
     */
    public void update(NDArray loss, int batchSize) {
        sum.addi(loss.mul(batchSize));
        count += batchSize;
    }

    /**
     * Returns the mean so far.
     *
     * @return the mean, NaN when empty
     */
    public double compute() {
        return count == 0 ? Double.NaN : sum.getFloat() / count;
    }

    /** Starts a new epoch. */
    public void reset() {
        sum.close(); // a fresh zero, since NaN * 0 would keep a diverged epoch's NaN
        sum = manager.zeros(new Shape());
        count = 0;
    }

}
