package io.github.luzj.fit.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.luzj.metric.LossAverage;
import io.github.luzj.metric.Metric;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The running loss and metric sums of one set (training or validation) over an epoch. */
final class SetSums {

    final LossAverage loss;
    /** By abbreviation, in the metrics' order. */
    final Map<String, Metric.Accumulator> metrics = new LinkedHashMap<>();
    private final Metric.Accumulator[] accumulators;

    SetSums(NDManager manager, List<Metric> of) {
        loss = new LossAverage(manager);
        for (Metric m : of) {
            metrics.put(m.abbrev(), m.newAccumulator(manager));
        }
        accumulators = metrics.values().toArray(new Metric.Accumulator[0]);
    }

    /** Adds one batch: its mean loss over {@code size} examples, its predictions and labels. */
    void update(NDArray batchLoss, int size, NDList pred, NDList y) {
        loss.update(batchLoss, size);
        for (Metric.Accumulator a : accumulators) {
            a.update(pred, y);
        }
    }

    /** The epoch's values by abbreviation, {@code "loss"} first; the sums start again at zero. */
    Map<String, Double> computeAndReset() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", loss.compute());
        loss.reset();
        for (Map.Entry<String, Metric.Accumulator> e : metrics.entrySet()) {
            values.put(e.getKey(), e.getValue().compute());
            e.getValue().reset();
        }
        return values;
    }
}
