package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * PyTorch's {@code StepLR}: each group's initial learning rate times
 * {@code gamma^(step / step_size)} (integer division). A pure function of the step counter.
 */
public final class StepLr extends ClosedFormScheduler<StepLr.Spec> {

    StepLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
    }

    @Override
    double lrAt(double initialLr, int step) {
        return initialLr * Math.pow(spec().gamma(), Math.floorDiv(step, spec().stepSize()));
    }

    /**
     * The settings of a step decay, with PyTorch's argument names.
     *
     * @param stepSize {@code step_size}: steps between decays, {@code >= 1}
     * @param gamma {@code gamma}: the factor of each decay, {@code > 0}
     */
    public record Spec(int stepSize, double gamma) implements SchedulerSpec {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param stepSize {@code step_size}: steps between decays, {@code >= 1}
         * @param gamma {@code gamma}: the factor of each decay, {@code > 0}
         */
        public Spec {
            Checks.atLeast("step_size", stepSize, 1);
            Checks.positive("gamma", gamma);
        }

        @Override
        public String kind() {
            return "StepLR";
        }

        @Override
        public StepLr build(List<ParamGroup> groups) {
            return new StepLr(this, groups);
        }

        /**
         * Sets {@code gamma}.
         *
         * @param value {@code > 0}, 0.1 by default
         * @return a new spec
         */
        public Spec gamma(double value) {
            return new Spec(stepSize, value);
        }
    }
}
