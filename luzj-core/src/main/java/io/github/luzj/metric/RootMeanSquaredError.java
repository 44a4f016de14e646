package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * luz's {@code luz_metric_rmse}: the square root of the mean squared difference over all elements
 * (the root is taken once, at the end of the epoch, not per batch). Labels have the predictions'
 * shape ([N] is accepted for predictions [N, 1] and vice versa).
 */
public final class RootMeanSquaredError implements Metric {

    /** The abbreviation, {@value}. */
    public static final String ABBREV = "rmse";

    /** Creates the metric; {@link Metrics#rmse()} is the usual way. */
    public RootMeanSquaredError() {}

    @Override
    public String abbrev() {
        return ABBREV;
    }

    @Override
    public String displayName() {
        return "RMSE";
    }

    @Override
    public Accumulator newAccumulator(NDManager manager) {
        return new ErrorSum(manager, ABBREV, NDArray::square, Math::sqrt);
    }

    @Override
    public String toString() {
        return "RootMeanSquaredError";
    }
}
