package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * PyTorch's {@code LinearLR}: each group's initial learning rate times a factor that moves
 * linearly from {@code start_factor} to {@code end_factor} over {@code total_iters} steps and
 * stays there. A pure function of the step counter (PyTorch's closed form; its recursive form
 * agrees to rounding).
 */
public final class LinearLr extends ClosedFormScheduler<LinearLr.Spec> {

    LinearLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
    }

    @Override
    double lrAt(double initialLr, int step) {
        double start = spec().startFactor();
        double end = spec().endFactor();
        int total = spec().totalIters();
        return initialLr * (start + (end - start) * Math.min(total, step) / total);
    }

    /**
     * The settings of a linear warm-up or decay, with PyTorch's argument names and defaults.
     *
     * @param startFactor {@code start_factor}, in (0, 1]
     * @param endFactor {@code end_factor}, in [0, 1]
     * @param totalIters {@code total_iters}: steps to reach the end factor, {@code >= 1}
     */
    public record Spec(double startFactor, double endFactor, int totalIters)
            implements SchedulerSpec {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param startFactor {@code start_factor}, in (0, 1]
         * @param endFactor {@code end_factor}, in [0, 1]
         * @param totalIters {@code total_iters}: steps to reach the end factor, {@code >= 1}
         */
        public Spec {
            if (!(startFactor > 0 && startFactor <= 1)) {
                throw Checks.fail("start_factor", "in (0, 1]", Checks.fmt(startFactor));
            }
            if (!(endFactor >= 0 && endFactor <= 1)) {
                throw Checks.fail("end_factor", "in [0, 1]", Checks.fmt(endFactor));
            }
            Checks.atLeast("total_iters", totalIters, 1);
        }

        /**
         * PyTorch's defaults: from 1/3 to 1 over 5 steps.
         *
         * @return the spec
         */
        public static Spec defaults() {
            return new Spec(1.0 / 3, 1.0, 5);
        }

        @Override
        public String kind() {
            return "LinearLR";
        }

        @Override
        public LinearLr build(List<ParamGroup> groups) {
            return new LinearLr(this, groups);
        }

        /**
         * Sets {@code start_factor}.
         *
         * @param value in (0, 1], 1/3 by default
         * @return a new spec
         */
        public Spec startFactor(double value) {
            return new Spec(value, endFactor, totalIters);
        }

        /**
         * Sets {@code end_factor}.
         *
         * @param value in [0, 1], 1 by default
         * @return a new spec
         */
        public Spec endFactor(double value) {
            return new Spec(startFactor, value, totalIters);
        }

        /**
         * Sets {@code total_iters}.
         *
         * @param value {@code >= 1}, 5 by default
         * @return a new spec
         */
        public Spec totalIters(int value) {
            return new Spec(startFactor, endFactor, value);
        }
    }
}
