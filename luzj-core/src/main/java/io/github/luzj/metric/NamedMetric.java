package io.github.luzj.metric;

import ai.djl.ndarray.NDManager;
import java.util.function.Function;

/**
 * A built-in metric: its names and how to make its accumulators. What each computes lives with
 * its counting code ({@link Accuracy}, {@link BinaryAccuracy}, {@link TopKAccuracy},
 * {@link MeanError}); {@link Metrics} gives them.
 *
 * @param abbrev the short name in records and CSV columns, such as {@code "acc"}
 * @param displayName the name in progress lines, such as {@code "Acc"}
 * @param description what {@link #toString()} gives, such as {@code "TopKAccuracy(k=5)"}
 * @param accumulators makes empty running sums in a manager
 */
record NamedMetric(
        String abbrev,
        String displayName,
        String description,
        Function<NDManager, Accumulator> accumulators)
        implements Metric {

    @Override
    public Accumulator newAccumulator(NDManager manager) {
        return accumulators.apply(manager);
    }

    @Override
    public String toString() {
        return description;
    }
}
