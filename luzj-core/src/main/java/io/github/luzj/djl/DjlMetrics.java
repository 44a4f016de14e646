package io.github.luzj.djl;

import ai.djl.training.TrainingConfig;
import ai.djl.training.evaluator.Evaluator;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.metric.Metric;
import java.util.Locale;

/**
 * DJL evaluators as luzj metrics.
 *
 * <pre>{@code
 * Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam(),
 *         DjlMetrics.of(new Accuracy()));        // recorded as "accuracy"
 * }</pre>
 */
public final class DjlMetrics {

    private DjlMetrics() {}

    /**
     * Wraps {@code evaluator}, recorded under its name in lower case ({@code Accuracy} gives
     * {@code "accuracy"}).
     *
     * @param evaluator the DJL evaluator
     * @return the metric
     */
    public static Metric of(Evaluator evaluator) {
        if (evaluator == null) {
            throw new LuzjException("the DJL evaluator is null; pass one such as new Accuracy()");
        }
        Checks.check(evaluator.getName() != null && !evaluator.getName().isBlank(),
                "the DJL evaluator %s has no name; give it one (new Accuracy(\"acc\")), or name the"
                        + " metric with DjlMetrics.of(evaluator, abbrev)", evaluator.getClass().getSimpleName());
        return new EvaluatorMetric(evaluator, evaluator.getName().toLowerCase(Locale.ROOT));
    }

    /**
     * Wraps {@code evaluator}, recorded under {@code abbrev}.
     *
     * @param evaluator the DJL evaluator
     * @param abbrev the records' column name
     * @return the metric
     */
    public static Metric of(Evaluator evaluator, String abbrev) {
        return new EvaluatorMetric(evaluator, abbrev);
    }

    /**
     * Wraps the evaluators of a DJL training configuration ({@code addEvaluator(...)}). The
     * configuration's loss is not among them: luzj always records the loss itself.
     *
     * @param config the DJL training configuration
     * @return the metrics, in the configuration's order
     */
    public static Metric[] fromConfig(TrainingConfig config) {
        if (config == null) {
            throw new LuzjException("the DJL training configuration is null; pass one");
        }
        return config.getEvaluators().stream().map(DjlMetrics::of).toArray(Metric[]::new);
    }
}
