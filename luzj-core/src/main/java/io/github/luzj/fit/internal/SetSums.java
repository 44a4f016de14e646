package io.github.luzj.fit.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.luzj.base.LuzjException;
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
    private final String[] names;

    SetSums(NDManager manager, List<Metric> of) {
        loss = new LossAverage(manager);
        for (Metric m : of) {
            Metric.Accumulator a;
            try {
                a = m.newAccumulator(manager);
            } catch (LuzjException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new LuzjException("metric '" + m.abbrev() + "' failed in newAccumulator: " + e
                        + "; fix the metric, or leave it out", e);
            }
            if (a == null) {
                throw new LuzjException(
                        "metric '" + m.abbrev() + "' made no accumulator (newAccumulator returned"
                                + " null); return a fresh Metric.Accumulator from it");
            }
            metrics.put(m.abbrev(), a);
        }
        accumulators = metrics.values().toArray(new Metric.Accumulator[0]);
        names = metrics.keySet().toArray(new String[0]);
    }

    /** Adds one batch: its mean loss over {@code size} examples, its predictions and labels. */
    void update(NDArray batchLoss, int size, NDList pred, NDList y) {
        loss.update(batchLoss, size);
        for (int i = 0; i < accumulators.length; i++) {
            try {
                accumulators[i].update(pred, y);
            } catch (LuzjException e) {
                throw e;
            } catch (RuntimeException e) {
                throw failed(names[i], "update", e);
            }
        }
    }

    /** A metric's own failure, named: a user's metric is code luzj cannot vouch for. */
    private static LuzjException failed(String metric, String method, RuntimeException e) {
        return new LuzjException(
                "metric '" + metric + "' failed in " + method + ": " + e
                        + "; fix the metric (luzj's own are in Metrics), or leave it out",
                e);
    }

    /** The epoch's values by abbreviation, {@code "loss"} first; the sums start again at zero. */
    Map<String, Double> computeAndReset() {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", loss.compute());
        loss.reset();
        for (Map.Entry<String, Metric.Accumulator> e : metrics.entrySet()) {
            try {
                values.put(e.getKey(), e.getValue().compute());
                e.getValue().reset();
            } catch (LuzjException ex) {
                throw ex;
            } catch (RuntimeException ex) {
                throw failed(e.getKey(), "compute or reset", ex);
            }
        }
        return values;
    }
}
