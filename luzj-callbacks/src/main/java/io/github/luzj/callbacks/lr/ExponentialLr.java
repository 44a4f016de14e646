package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * PyTorch's {@code ExponentialLR}: each group's initial learning rate times {@code gamma^step}.
 * A pure function of the step counter.
 */
public final class ExponentialLr extends ClosedFormScheduler<ExponentialLr.Spec> {

    ExponentialLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
    }

    @Override
    double lrAt(double initialLr, int step) {
        return initialLr * Math.pow(spec().gamma(), step);
    }

    /**
     * The settings of an exponential decay.
     *
     * @param gamma {@code gamma}: the factor per step, {@code > 0}
     */
    public record Spec(double gamma) implements SchedulerSpec {

        /**
         * Validates {@code gamma}.
         *
         * @param gamma {@code gamma}: the factor per step, {@code > 0}
         */
        public Spec {
            Checks.positive("gamma", gamma);
        }

        @Override
        public String kind() {
            return "ExponentialLR";
        }

        @Override
        public ExponentialLr build(List<ParamGroup> groups) {
            return new ExponentialLr(this, groups);
        }
    }
}
