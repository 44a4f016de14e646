package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * luz's {@code luz_metric_mae}: the mean absolute difference between predictions and labels over
 * all elements. Labels have the predictions' shape ([N] is accepted for predictions [N, 1] and
 * vice versa).
 */
public final class MeanAbsoluteError implements Metric {

    /** The abbreviation, {@value}. */
    public static final String ABBREV = "mae";

    /** Creates the metric; {@link Metrics#mae()} is the usual way. */
    public MeanAbsoluteError() {}

    @Override
    public String abbrev() {
        return ABBREV;
    }

    @Override
    public String displayName() {
        return "MAE";
    }

    @Override
    public Accumulator newAccumulator(NDManager manager) {
        return new ErrorSum(manager, ABBREV, NDArray::abs, x -> x);
    }

    @Override
    public String toString() {
        return "MeanAbsoluteError";
    }
}
