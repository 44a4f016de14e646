package io.github.luzj.callbacks.lr;

import static io.github.luzj.callbacks.lr.ScheduleArgs.boxed;

import io.github.luzj.base.Checks;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;

/**
 * PyTorch's {@code CyclicLR}: the learning rate climbs from {@code base_lr} to {@code max_lr} in
 * {@code step_size_up} steps and back in {@code step_size_down}, the amplitude scaled per cycle
 * ({@code triangular2}, or a custom function of the cycle) or per step ({@code exp_range}, or a
 * custom function of the step); momentum (SGD) or {@code beta1} (Adam) moves the opposite way.
 * A pure function of the step counter.
 */
public final class CyclicLr extends SpecScheduler<CyclicLr.Spec> {

    private static final Set<String> MODES = Set.of("triangular", "triangular2", "exp_range");
    private static final Set<String> SCALE_MODES = Set.of("cycle", "iterations");

    private final double totalSize;
    private final double stepRatio;
    private final DoubleUnaryOperator scaleFn;
    private final boolean scaleByCycle;
    private final double[] baseLrs;
    private final double[] maxLrs;
    private final double[] baseMomentums;
    private final double[] maxMomentums;

    CyclicLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
        double up = spec().stepSizeUp();
        double down = spec().stepSizeDown() != null ? spec().stepSizeDown() : up;
        this.totalSize = up + down;
        this.stepRatio = up / totalSize;
        if (spec().scaleFn() != null) {
            this.scaleFn = spec().scaleFn();
            this.scaleByCycle = spec().scaleMode().equals("cycle");
        } else {
            double gamma = spec().gamma();
            this.scaleFn =
                    switch (spec().mode()) {
                        case "triangular" -> x -> 1.0;
                        case "triangular2" -> x -> 1 / Math.pow(2.0, x - 1);
                        default -> x -> Math.pow(gamma, x);
                    };
            // PyTorch ties the scale mode to the built-in mode and ignores scale_mode then.
            this.scaleByCycle = !spec().mode().equals("exp_range");
        }
        this.baseLrs = perGroup("base_lr", spec().baseLr());
        this.maxLrs = perGroup("max_lr", spec().maxLr());
        if (spec().cycleMomentum()) {
            this.baseMomentums = perGroup("base_momentum", spec().baseMomentum());
            this.maxMomentums = perGroup("max_momentum", spec().maxMomentum());
        } else {
            this.baseMomentums = null;
            this.maxMomentums = null;
        }
        initialize();
    }

    @Override
    protected void apply(int step) {
        double cycle = Math.floor(1 + step / totalSize);
        double x = 1. + step / totalSize - cycle;
        double scaleFactor = x <= stepRatio ? x / stepRatio : (x - 1) / (stepRatio - 1);
        double scale = scaleFn.applyAsDouble(scaleByCycle ? cycle : step);
        for (int g = 0; g < groups().size(); g++) {
            double baseHeight = (maxLrs[g] - baseLrs[g]) * scaleFactor;
            groups().get(g).setLr(baseLrs[g] + baseHeight * scale);
            if (spec().cycleMomentum()) {
                double momHeight = (maxMomentums[g] - baseMomentums[g]) * scaleFactor;
                groups().get(g).setMomentum(maxMomentums[g] - momHeight * scale);
            }
        }
    }

    /**
     * The settings of a cyclic schedule, with PyTorch's argument names and defaults.
     *
     * @param baseLr {@code base_lr}: the lower bound, one value or one per group
     * @param maxLr {@code max_lr}: the upper bound, one value or one per group
     * @param stepSizeUp {@code step_size_up}: steps of the rising half, {@code >= 1}
     * @param stepSizeDown {@code step_size_down}, or null for {@code step_size_up}
     * @param mode {@code triangular}, {@code triangular2} or {@code exp_range} (ignored when
     *     {@code scaleFn} is given)
     * @param gamma {@code gamma} of {@code exp_range}: the amplitude is scaled by
     *     {@code gamma^step}
     * @param scaleFn a custom amplitude scale in [0, 1], or null
     * @param scaleMode {@code cycle} or {@code iterations}: what {@code scaleFn} takes
     * @param cycleMomentum {@code cycle_momentum}
     * @param baseMomentum {@code base_momentum}: the momentum at the peak
     * @param maxMomentum {@code max_momentum}: the momentum at the start of a cycle
     */
    public record Spec(
            List<Double> baseLr,
            List<Double> maxLr,
            int stepSizeUp,
            Integer stepSizeDown,
            String mode,
            double gamma,
            DoubleUnaryOperator scaleFn,
            String scaleMode,
            boolean cycleMomentum,
            List<Double> baseMomentum,
            List<Double> maxMomentum)
            implements SchedulerSpec {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param baseLr {@code base_lr}: the lower bound, one value or one per group
         * @param maxLr {@code max_lr}: the upper bound, one value or one per group
         * @param stepSizeUp {@code step_size_up}: steps of the rising half, {@code >= 1}
         * @param stepSizeDown {@code step_size_down}, or null for {@code step_size_up}
         * @param mode {@code triangular}, {@code triangular2} or {@code exp_range} (ignored when
         *     {@code scaleFn} is given)
         * @param gamma {@code gamma} of {@code exp_range}: the amplitude is scaled by
         *     {@code gamma^step}
         * @param scaleFn a custom amplitude scale in [0, 1], or null
         * @param scaleMode {@code cycle} or {@code iterations}: what {@code scaleFn} takes
         * @param cycleMomentum {@code cycle_momentum}
         * @param baseMomentum {@code base_momentum}: the momentum at the peak
         * @param maxMomentum {@code max_momentum}: the momentum at the start of a cycle
         */
        public Spec {
            baseLr = ScheduleArgs.values("base_lr", baseLr, Checks::nonNegative);
            maxLr = ScheduleArgs.values("max_lr", maxLr, Checks::positive);
            Checks.atLeast("step_size_up", stepSizeUp, 1);
            if (stepSizeDown != null) {
                Checks.atLeast("step_size_down", stepSizeDown, 1);
            }
            Checks.oneOf("mode", mode, MODES);
            Checks.positive("gamma", gamma);
            Checks.oneOf("scale_mode", scaleMode, SCALE_MODES);
            baseMomentum = ScheduleArgs.values("base_momentum", baseMomentum, Checks::momentum);
            maxMomentum = ScheduleArgs.values("max_momentum", maxMomentum, Checks::momentum);
        }

        /**
         * PyTorch's defaults between {@code baseLr} and {@code maxLr}.
         *
         * @param baseLr the lower bound
         * @param maxLr the upper bound
         * @return the spec
         */
        public static Spec of(double baseLr, double maxLr) {
            return new Spec(List.of(baseLr), List.of(maxLr), 2000, null, "triangular", 1.0, null,
                    "cycle", true, List.of(0.8), List.of(0.9));
        }

        @Override
        public String kind() {
            return "CyclicLR";
        }

        @Override
        public CyclicLr build(List<ParamGroup> groups) {
            return new CyclicLr(this, groups);
        }

        /**
         * Sets the lower bound per group.
         *
         * @param values one value or one per group, {@code >= 0}
         * @return a new spec
         */
        public Spec baseLr(double... values) {
            return new Spec(boxed(values), maxLr, stepSizeUp, stepSizeDown, mode, gamma,
                    scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        /**
         * Sets the upper bound per group.
         *
         * @param values one value or one per group, {@code > 0}
         * @return a new spec
         */
        public Spec maxLr(double... values) {
            return new Spec(baseLr, boxed(values), stepSizeUp, stepSizeDown, mode, gamma,
                    scaleFn, scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        /**
         * Sets {@code step_size_up}.
         *
         * @param value {@code >= 1}, 2000 by default
         * @return a new spec
         */
        public Spec stepSizeUp(int value) {
            return new Spec(baseLr, maxLr, value, stepSizeDown, mode, gamma, scaleFn, scaleMode,
                    cycleMomentum, baseMomentum, maxMomentum);
        }

        /**
         * Sets {@code step_size_down}.
         *
         * @param value {@code >= 1}; {@code step_size_up} when unset
         * @return a new spec
         */
        public Spec stepSizeDown(int value) {
            return new Spec(baseLr, maxLr, stepSizeUp, value, mode, gamma, scaleFn, scaleMode,
                    cycleMomentum, baseMomentum, maxMomentum);
        }

        /**
         * Sets the built-in amplitude policy.
         *
         * @param value {@code "triangular"} (default), {@code "triangular2"} or
         *     {@code "exp_range"}
         * @return a new spec
         */
        public Spec mode(String value) {
            return new Spec(baseLr, maxLr, stepSizeUp, stepSizeDown, value, gamma, scaleFn,
                    scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        /**
         * Sets {@code gamma} of {@code exp_range}.
         *
         * @param value {@code > 0}, 1 by default
         * @return a new spec
         */
        public Spec gamma(double value) {
            return new Spec(baseLr, maxLr, stepSizeUp, stepSizeDown, mode, value, scaleFn,
                    scaleMode, cycleMomentum, baseMomentum, maxMomentum);
        }

        /**
         * Sets a custom amplitude scale, which replaces {@code mode}.
         *
         * @param fn the scale, in [0, 1], of the cycle number (from 1) or of the step
         * @param scaleMode {@code "cycle"} or {@code "iterations"}
         * @return a new spec
         */
        public Spec scaleFn(DoubleUnaryOperator fn, String scaleMode) {
            Checks.notNull("scaleFn", fn, "pass a function of the cycle or the step");
            return new Spec(baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma, fn, scaleMode,
                    cycleMomentum, baseMomentum, maxMomentum);
        }

        /**
         * Turns momentum (or {@code beta1}) cycling on or off.
         *
         * @param value true by default
         * @return a new spec
         */
        public Spec cycleMomentum(boolean value) {
            return new Spec(baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma, scaleFn,
                    scaleMode, value, baseMomentum, maxMomentum);
        }

        /**
         * Sets {@code base_momentum}.
         *
         * @param values one value or one per group, in [0, 1), 0.8 by default
         * @return a new spec
         */
        public Spec baseMomentum(double... values) {
            return new Spec(baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma, scaleFn,
                    scaleMode, cycleMomentum, boxed(values), maxMomentum);
        }

        /**
         * Sets {@code max_momentum}.
         *
         * @param values one value or one per group, in [0, 1), 0.9 by default
         * @return a new spec
         */
        public Spec maxMomentum(double... values) {
            return new Spec(baseLr, maxLr, stepSizeUp, stepSizeDown, mode, gamma, scaleFn,
                    scaleMode, cycleMomentum, baseMomentum, boxed(values));
        }
    }
}
