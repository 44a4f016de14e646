package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * luz's regression metrics ({@code luz_metric_mae}, {@code luz_metric_mse},
 * {@code luz_metric_rmse}): the mean of an element-wise error of predictions against labels over
 * all elements of the epoch, then a finishing function (the root of RMSE is taken once, at the end
 * of the epoch, not per batch). Labels have the predictions' shape ([N] is accepted for
 * predictions [N, 1] and vice versa). {@link Metrics#mae()}, {@link Metrics#mse()} and
 * {@link Metrics#rmse()} are the usual way to get them.
 */
final class MeanError implements Metric {

    private final String abbrev;
    private final String displayName;
    private final String name;
    private final UnaryOperator<NDArray> error;
    private final DoubleUnaryOperator finish;

    /**
     * Creates the metric; {@link #absolute()}, {@link #squared()} and {@link #rootSquared()} give
     * luz's three.
     *
     * @param abbrev the abbreviation, such as {@code "mae"}
     * @param displayName the name in progress lines, such as {@code "MAE"}
     * @param name what {@link #toString()} gives, such as {@code "MeanAbsoluteError"}
     * @param error maps the differences to per-element errors, such as {@code NDArray::abs}
     * @param finish maps the mean error to the metric's value, such as {@code Math::sqrt}
     */
    private MeanError(
            String abbrev,
            String displayName,
            String name,
            UnaryOperator<NDArray> error,
            DoubleUnaryOperator finish) {
        this.abbrev = abbrev;
        this.displayName = displayName;
        this.name = name;
        this.error = error;
        this.finish = finish;
    }

    /** {@code luz_metric_mae}. */
    static MeanError absolute() {
        return new MeanError("mae", "MAE", "MeanAbsoluteError", NDArray::abs, x -> x);
    }

    /** {@code luz_metric_mse}. */
    static MeanError squared() {
        return new MeanError("mse", "MSE", "MeanSquaredError", NDArray::square, x -> x);
    }

    /** {@code luz_metric_rmse}. */
    static MeanError rootSquared() {
        return new MeanError("rmse", "RMSE", "RootMeanSquaredError", NDArray::square, Math::sqrt);
    }

    @Override
    public String abbrev() {
        return abbrev;
    }

    @Override
    public String displayName() {
        return displayName;
    }

    @Override
    public Accumulator newAccumulator(NDManager manager) {
        return new ErrorSum(manager);
    }

    @Override
    public String toString() {
        return name;
    }

    /**
     * The running sums: the summed error on the device, the number of elements on the host. The
     * value is {@code finish(sum / count)}.
     */
    private final class ErrorSum implements Accumulator {

        private final RunningSum sum;
        private long count;

        ErrorSum(NDManager manager) {
            this.sum = new RunningSum(manager, RunningSum.realType(manager));
        }

        @Override
        public void update(NDList predictions, NDList labels) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                // detached so that an in-place sum can never join a training graph
                NDArray p = predictions.head().stopGradient();
                NDArray y = Shapes.sameShape(abbrev, p, labels.head());
                sum.add(error.apply(p.sub(y)).sum());
                count += p.size();
            }
        }

        @Override
        public double compute() {
            return count == 0 ? Double.NaN : finish.applyAsDouble(sum.read() / count);
        }

        @Override
        public double[] state() {
            return new double[] {sum.read(), count};
        }

        @Override
        public void restore(double[] state) {
            Counts.check(abbrev, state, 2, 1);
            sum.set(state[0]);
            count = (long) state[1];
        }

        @Override
        public void reset() {
            sum.reset();
            count = 0;
        }
    }
}
