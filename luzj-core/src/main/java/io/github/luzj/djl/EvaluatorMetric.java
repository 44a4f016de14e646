package io.github.luzj.djl;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.evaluator.Evaluator;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.metric.Metric;
import java.util.UUID;

/**
 * A DJL {@link Evaluator} (such as {@code Accuracy}, {@code TopKAccuracy},
 * {@code BinaryAccuracy}, or a {@code Loss}) used as a luzj {@link Metric}.
 *
 * <p>A DJL evaluator keeps its running sums inside itself, by accumulator key; each luzj
 * accumulator gets a key of its own, so the train and valid sums of a fit, and the sums of two
 * fits sharing the evaluator, never mix. Unlike luzj's own metrics, most DJL evaluators copy a
 * count to the host at every batch ({@code Accuracy} calls {@code getLong()}), which costs one
 * device sync per batch on a GPU.
 */
public final class EvaluatorMetric implements Metric {

    private final Evaluator evaluator;
    private final String abbrev;

    /**
     * Wraps {@code evaluator}, recorded under {@code abbrev}.
     *
     * @param evaluator the DJL evaluator
     * @param abbrev the records' column name, such as {@code "accuracy"}
     */
    public EvaluatorMetric(Evaluator evaluator, String abbrev) {
        if (evaluator == null) {
            throw new LuzjException("the DJL evaluator is null; pass one such as new Accuracy()");
        }
        Checks.check(
                abbrev != null && !abbrev.isBlank() && !abbrev.equals("loss"),
                "the metric name must be a non-blank name other than \"loss\", got %s; pick"
                        + " another",
                abbrev == null ? "null" : "\"" + abbrev + "\"");
        this.evaluator = evaluator;
        this.abbrev = abbrev;
    }

    /**
     * Returns the wrapped evaluator.
     *
     * @return the evaluator
     */
    public Evaluator evaluator() {
        return evaluator;
    }

    @Override
    public String abbrev() {
        return abbrev;
    }

    @Override
    public String displayName() {
        return evaluator.getName();
    }

    /**
     * Registers a fresh accumulator key with the evaluator. The manager is unused: the
     * evaluator holds its sums itself.
     *
     * @param manager unused
     * @return the accumulator
     */
    @Override
    public Accumulator newAccumulator(NDManager manager) {
        String key = "luzj-" + abbrev + "-" + UUID.randomUUID();
        evaluator.addAccumulator(key);
        return new KeyedAccumulator(key);
    }

    /** One accumulator key of the evaluator. */
    private final class KeyedAccumulator implements Accumulator {
        private final String key;

        KeyedAccumulator(String key) {
            this.key = key;
        }

        @Override
        public void update(NDList predictions, NDList labels) {
            try {
                // DJL's argument order is (labels, predictions), luzj's the reverse
                evaluator.updateAccumulator(key, labels, predictions);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new LuzjException(
                        "the DJL evaluator "
                                + evaluator.getName()
                                + " failed on predictions of shape "
                                + predictions.head().getShape()
                                + " and labels of shape "
                                + labels.head().getShape()
                                + ": "
                                + e.getMessage()
                                + "; check that the evaluator suits the model's output",
                        e);
            }
        }

        @Override
        public double compute() {
            return evaluator.getAccumulator(key);
        }

        @Override
        public void reset() {
            evaluator.resetAccumulator(key);
        }
    }
}
