package io.github.luzj.metric;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import io.github.luzj.base.LuzjException;

/**
 * The running sums of a fraction-correct metric (accuracy and its kin): hits and invalid labels
 * counted on the device, the number judged counted on the host from shapes.
 *
 * <p>Invalid labels are counted rather than checked per batch, since a check would sync; the
 * epoch's {@link #compute()} fails if there were any.
 */
final class HitRate implements Metric.Accumulator {

    private final String metric;
    private String labelRule = "valid";
    private final HitCount.Counter counter;
    private final RunningSum hits;
    private final RunningSum invalid;
    private long total;

    /**
     * Creates empty sums.
     *
     * @param manager the owner of the sums
     * @param metric the metric's abbreviation, for messages
     * @param counter counts a batch
     */
    HitRate(NDManager manager, String metric, HitCount.Counter counter) {
        this.metric = metric;
        this.counter = counter;
        this.hits = new RunningSum(manager, DataType.INT64);
        this.invalid = new RunningSum(manager, DataType.INT64);
    }

    @Override
    public void update(NDList predictions, NDList labels) {
        try (NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            HitCount c = counter.count(predictions.head(), labels.head());
            hits.add(c.hits());
            invalid.add(c.invalid());
            total += c.total();
            labelRule = c.labelRule();
        }
    }

    @Override
    public double compute() {
        if (total == 0) {
            return Double.NaN;
        }
        long bad = (long) invalid.read();
        if (bad > 0) {
            throw new LuzjException(
                    metric
                            + ": "
                            + bad
                            + " of "
                            + total
                            + " labels this epoch were not "
                            + labelRule
                            + "; check how the labels are encoded (0-based, not one-hot) and that"
                            + " the model has one output per class");
        }
        return hits.read() / total;
    }

    @Override
    public double[] state() {
        return new double[] {hits.read(), invalid.read(), total};
    }

    @Override
    public void restore(double[] state) {
        Counts.check(metric, state, 3, 0);
        hits.set(state[0]);
        invalid.set(state[1]);
        total = (long) state[2];
    }

    @Override
    public void reset() {
        hits.reset();
        invalid.reset();
        total = 0;
    }
}
