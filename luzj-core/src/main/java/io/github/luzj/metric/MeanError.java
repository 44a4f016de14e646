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
final class MeanError {

    private MeanError() {}

    /** {@code luz_metric_mae}, {@code "mae"}. */
    static Metric absolute() {
        return create("mae", "MAE", "MeanAbsoluteError", NDArray::abs, x -> x);
    }

    /** {@code luz_metric_mse}, {@code "mse"}. */
    static Metric squared() {
        return create("mse", "MSE", "MeanSquaredError", NDArray::square, x -> x);
    }

    /** {@code luz_metric_rmse}, {@code "rmse"}. */
    static Metric rootSquared() {
        return create("rmse", "RMSE", "RootMeanSquaredError", NDArray::square, Math::sqrt);
    }

    /**
     * @param error maps the differences to per-element errors, such as {@code NDArray::abs}
     * @param finish maps the mean error to the metric's value, such as {@code Math::sqrt}
     */
    private static Metric create(
            String abbrev,
            String displayName,
            String description,
            UnaryOperator<NDArray> error,
            DoubleUnaryOperator finish) {
        return new NamedMetric(
                abbrev,
                displayName,
                description,
                m -> new ErrorSum(new RunningMean(m), abbrev, error, finish));
    }

    /**
     * The running mean of the error; the value is {@code finish(mean)}.
     *
     * @param mean the epoch's running mean, which this accumulator advances
     * @param metric the metric's abbreviation, for messages
     * @param error maps the differences to per-element errors
     * @param finish maps the mean error to the metric's value
     */
    private record ErrorSum(
            RunningMean mean,
            String metric,
            UnaryOperator<NDArray> error,
            DoubleUnaryOperator finish)
            implements Metric.Accumulator {

        @Override
        public void update(NDList predictions, NDList labels) {
            try (NDScope scope = new NDScope()) {
                scope.suppressNotUsedWarning();
                // detached so that an in-place sum can never join a training graph
                NDArray p = predictions.head().stopGradient();
                NDArray y = Shapes.sameShape(metric, p, labels.head());
                mean.add(error.apply(p.sub(y)).sum(), p.size());
            }
        }

        @Override
        public double compute() {
            return finish.applyAsDouble(mean.mean()); // NaN when empty: both finishes keep it
        }

        @Override
        public double[] state() {
            return mean.state();
        }

        @Override
        public void restore(double[] state) {
            mean.restore(metric, state);
        }

        @Override
        public void reset() {
            mean.reset();
        }
    }
}
