package io.github.luzj.metric;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import io.github.luzj.base.Checks;

/**
 * The mean loss over an epoch, weighted by batch size. The fit loop always records it as
 * {@code "loss"}; it is fed the batch's loss rather than predictions and labels.
 *
 * <p>The sum stays on the device (float64 where the device has it) and grows in place; only
 * {@link #compute()} reads it.
 */
public final class LossAverage {

    private final NDManager manager;
    private final RunningMean mean;
    /** The last batch size as an operand, kept since nearly every batch has the same size. */
    private NDArray size;
    private int sizeValue;

    /**
     * Creates an empty average whose sum lives in {@code manager}.
     *
     * @param manager the owner of the running sum
     */
    public LossAverage(NDManager manager) {
        this.manager = manager;
        this.mean = new RunningMean(manager);
    }

    /**
     * Adds a batch's mean loss.
     *
     * @param loss the batch's mean loss (a scalar or one-element array)
     * @param batchSize the batch's size
     */
    public void update(NDArray loss, int batchSize) {
        Checks.check(
                loss.size() == 1,
                "the loss must be one number per batch, got shape %s; use a loss that averages"
                        + " over the batch",
                loss.getShape());
        Checks.check(batchSize >= 0, "batch size must be >= 0, got %d", batchSize);
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // detached so that the in-place sum can never join a training graph
            NDArray operand = sizeOperand(batchSize, loss.getManager().getDevice());
            mean.add(loss.stopGradient().mul(operand), batchSize);
        }
    }

    /**
     * {@code n} as the int32 scalar DJL's {@code mul(Number)} would make, on the device of the
     * loss's manager as it does (a manager's device needs no native call, an array's does), so the
     * product rounds the same, but made once: a fresh scalar costs a direct buffer and two native
     * calls a batch.
     */
    private NDArray sizeOperand(int n, Device device) {
        if (size == null || sizeValue != n || !size.getDevice().equals(device)) {
            NDArray fresh = manager.create(n).toDevice(device, false);
            // the caller's scope must not close an operand kept for the next batch
            NDScope.unregister(fresh);
            if (size != null) {
                size.close();
            }
            size = fresh;
            sizeValue = n;
        }
        return size;
    }

    /**
     * Returns the mean so far.
     *
     * @return the mean, NaN when empty
     */
    public double compute() {
        return mean.mean();
    }

    /** Starts a new epoch. */
    public void reset() {
        mean.reset();
    }

    /**
     * Returns the running sum and count, for a checkpoint written in the middle of an epoch.
     *
     * @return {sum, count}
     */
    public double[] state() {
        return mean.state();
    }

    /**
     * Replaces the running sum and count with what {@link #state()} returned.
     *
     * @param state {sum, count}
     */
    public void restore(double[] state) {
        mean.restore("loss", state);
    }
}
