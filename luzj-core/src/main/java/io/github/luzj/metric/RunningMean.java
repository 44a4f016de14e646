package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;

/**
 * An epoch's mean: a real-valued {@link RunningSum} on the device and the count it divides by,
 * known on the host. The loss average and the regression metrics keep one each.
 */
final class RunningMean {

    private final RunningSum sum;
    private long count;

    /**
     * Creates an empty mean whose sum lives in {@code manager}.
     *
     * @param manager the owner of the running sum
     */
    RunningMean(NDManager manager) {
        this.sum = new RunningSum(manager, RunningSum.realType(manager));
    }

    /**
     * Adds a batch. Temporaries belong to the caller's {@link NDScope}.
     *
     * @param total the batch's summed values, a one-element array on any device
     * @param n how many values {@code total} sums
     */
    void add(NDArray total, long n) {
        sum.add(total);
        count += n;
    }

    /**
     * Returns the mean so far: the one host sync.
     *
     * @return the mean, NaN when empty
     */
    double mean() {
        return count == 0 ? Double.NaN : sum.read() / count;
    }

    /**
     * Returns the sum and count, for a checkpoint written in the middle of an epoch.
     *
     * @return {sum, count}
     */
    double[] state() {
        return new double[] {sum.read(), count};
    }

    /**
     * Replaces the sum and count with what {@link #state()} returned.
     *
     * @param metric the metric's name, for messages
     * @param state {sum, count}
     */
    void restore(String metric, double[] state) {
        Counts.check(metric, state, 2, 1);
        sum.set(state[0]);
        count = (long) state[1];
    }

    /** Starts a new epoch. */
    void reset() {
        sum.reset();
        count = 0;
    }
}
