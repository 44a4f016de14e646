package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.ParamGroup;
import java.util.Arrays;
import java.util.List;

/**
 * PyTorch's {@code MultiStepLR}: each group's initial learning rate times {@code gamma} once for
 * every milestone reached. A pure function of the step counter.
 */
public final class MultiStepLr extends ClosedFormScheduler<MultiStepLr.Spec> {

    MultiStepLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
    }

    @Override
    double lrAt(double initialLr, int step) {
        int passed = (int) spec().milestones().stream().filter(m -> m <= step).count();
        return initialLr * Math.pow(spec().gamma(), passed);
    }

    /**
     * The settings of a milestone decay, with PyTorch's argument names.
     *
     * @param milestones {@code milestones}: strictly increasing steps, each {@code >= 1}
     * @param gamma {@code gamma}: the factor at each milestone, {@code > 0}
     */
    public record Spec(List<Integer> milestones, double gamma) implements SchedulerSpec {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param milestones {@code milestones}: strictly increasing steps, each {@code >= 1}
         * @param gamma {@code gamma}: the factor at each milestone, {@code > 0}
         */
        public Spec {
            Checks.check(
                    milestones != null && !milestones.isEmpty(),
                    "milestones must hold at least one step, got none");
            milestones = List.copyOf(milestones);
            for (int i = 0; i < milestones.size(); i++) {
                int m = milestones.get(i);
                Checks.atLeast("milestones[" + i + "]", m, 1);
                if (i > 0 && m <= milestones.get(i - 1)) {
                    throw new LuzjException(
                            "milestones must be strictly increasing, got " + milestones);
                }
            }
            Checks.positive("gamma", gamma);
        }

        /**
         * PyTorch's default {@code gamma} 0.1 at {@code milestones}.
         *
         * @param milestones the steps
         * @return the spec
         */
        public static Spec of(int... milestones) {
            Checks.notNull("milestones", milestones, "pass the steps (or epochs) at which to decay");
            return new Spec(Arrays.stream(milestones).boxed().toList(), 0.1);
        }

        @Override
        public String kind() {
            return "MultiStepLR";
        }

        @Override
        public MultiStepLr build(List<ParamGroup> groups) {
            return new MultiStepLr(this, groups);
        }

        /**
         * Sets {@code gamma}.
         *
         * @param value {@code > 0}, 0.1 by default
         * @return a new spec
         */
        public Spec gamma(double value) {
            return new Spec(milestones, value);
        }
    }
}
