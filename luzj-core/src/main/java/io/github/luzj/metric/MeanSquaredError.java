package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * luz's {@code luz_metric_mse}: the mean squared difference between predictions and labels over
 * all elements. Labels have the predictions' shape ([N] is accepted for predictions [N, 1] and
 * vice versa).
 */
public final class MeanSquaredError implements Metric {

    /** The abbreviation, {@value}. */
    public static final String ABBREV = "mse";

    /** Creates the metric; {@link Metrics#mse()} is the usual way. */
    public MeanSquaredError() {}

    @Override
    public String abbrev() {
        return ABBREV;
    }

    @Override
    public String displayName() {
        return "MSE";
    }

    @Override
    public Accumulator newAccumulator(NDManager manager) {
        return new ErrorSum(manager, ABBREV, NDArray::square, x -> x);
    }

    @Override
    public String toString() {
        return "MeanSquaredError";
    }
}
