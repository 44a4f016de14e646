package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;

/**
 * The running sums of an element-wise regression error: the summed error on the device, the
 * number of elements on the host. The value is {@code finish(sum / count)}.
 */
final class ErrorSum implements Metric.Accumulator {

    private final String metric;
    private final UnaryOperator<NDArray> error;
    private final DoubleUnaryOperator finish;
    private final RunningSum sum;
    private long count;

    /**
     * Creates an empty sum.
     *
     * @param manager the owner of the sum
     * @param metric the metric's abbreviation, for messages
     * @param error maps the differences to per-element errors, such as {@code NDArray::abs}
     * @param finish maps the mean error to the metric's value, such as {@code Math::sqrt}
     */
    ErrorSum(
            NDManager manager,
            String metric,
            UnaryOperator<NDArray> error,
            DoubleUnaryOperator finish) {
        this.metric = metric;
        this.error = error;
        this.finish = finish;
        this.sum = new RunningSum(manager, RunningSum.realType(manager));
    }

    @Override
    public void update(NDList predictions, NDList labels) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            // detached so that an in-place sum can never join a training graph
            NDArray p = predictions.head().stopGradient();
            NDArray y = Shapes.sameShape(metric, p, labels.head());
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
        Counts.check(metric, state, 2, 1);
        sum.set(state[0]);
        count = (long) state[1];
    }

    @Override
    public void reset() {
        sum.reset();
        count = 0;
    }
}
