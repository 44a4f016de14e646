package io.github.luzj.callbacks.lr;

import static io.github.luzj.callbacks.lr.ScheduleArgs.boxed;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Warmup-stable-decay (HF transformers' {@code get_wsd_schedule}): the learning rate rises from
 * {@code min_lr_ratio x max_lr} to {@code max_lr} over the warm-up steps, holds there, and falls
 * back over the last {@code decay_fraction} of the steps, each ramp linear, cosine or
 * {@code 1-sqrt}; after the last step it stays at {@code min_lr_ratio x max_lr}. A pure function
 * of the step counter (HF's lambda with {@code num_cycles = 0.5}).
 */
public final class WarmupStableDecayLr extends SpecScheduler<WarmupStableDecayLr.Spec> {

    /** The ramp shapes HF offers for {@code warmup_type} and {@code decay_type}. */
    public static final Set<String> SHAPES = Set.of("linear", "cosine", "1-sqrt");

    private final int totalSteps;
    private final int decaySteps;
    private final double[] maxLrs;

    WarmupStableDecayLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
        this.totalSteps = spec().resolveTotalSteps();
        this.decaySteps = spec().decaySteps(totalSteps);
        this.maxLrs = perGroup("max_lr", spec().maxLr());
        initialize();
    }

    @Override
    protected void apply(int step) {
        double factor = factor(step);
        for (int g = 0; g < groups().size(); g++) {
            groups().get(g).setLr(maxLrs[g] * factor);
        }
    }

    /** HF's {@code _get_wsd_scheduler_lambda}. */
    private double factor(int step) {
        int warmup = spec().warmupSteps();
        int stable = totalSteps - warmup - decaySteps;
        double min = spec().minLrRatio();
        if (step < warmup) {
            double progress = step / (double) Math.max(1, warmup);
            double f =
                    switch (spec().warmupType()) {
                        case "linear" -> progress;
                        case "cosine" -> 0.5 * (1.0 - Math.cos(Math.PI * progress));
                        default -> 1.0 - Math.sqrt(1.0 - progress);
                    };
            return Math.max(0.0, f * (1.0 - min) + min);
        }
        if (step < warmup + stable) {
            return 1.0;
        }
        if (step < warmup + stable + decaySteps) {
            double progress = (step - warmup - stable) / (double) Math.max(1, decaySteps);
            double f =
                    switch (spec().decayType()) {
                        case "linear" -> 1.0 - progress;
                        case "cosine" -> 0.5 * (1.0 + Math.cos(Math.PI * 0.5 * 2.0 * progress));
                        default -> 1.0 - Math.sqrt(progress);
                    };
            return Math.max(0.0, f * (1.0 - min) + min);
        }
        return min;
    }

    /**
     * The settings of a warmup-stable-decay schedule. Give {@link #totalSteps(int)}, or
     * {@link #epochs(int)} and {@link #stepsPerEpoch(int)} (the scheduler callback fills the
     * latter from the fit, counting optimizer steps).
     *
     * @param maxLr the stable learning rate, one value or one per group
     * @param warmupSteps steps of warm-up, {@code >= 0}
     * @param decayFraction the share of all steps spent decaying, in [0, 1]
     * @param warmupType {@code "linear"}, {@code "cosine"} or {@code "1-sqrt"}
     * @param decayType {@code "linear"}, {@code "cosine"} or {@code "1-sqrt"}
     * @param minLrRatio where warm-up starts and decay ends, as a share of max_lr, in [0, 1]
     * @param totalSteps all steps, or null for epochs x steps per epoch
     * @param epochs epochs, or null
     * @param stepsPerEpoch optimizer steps per epoch, or null
     */
    public record Spec(
            List<Double> maxLr,
            int warmupSteps,
            double decayFraction,
            String warmupType,
            String decayType,
            double minLrRatio,
            Integer totalSteps,
            Integer epochs,
            Integer stepsPerEpoch)
            implements FixedLengthSpec<Spec> {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param maxLr the stable learning rate, one value or one per group
         * @param warmupSteps steps of warm-up, {@code >= 0}
         * @param decayFraction the share of all steps spent decaying, in [0, 1]
         * @param warmupType {@code "linear"}, {@code "cosine"} or {@code "1-sqrt"}
         * @param decayType {@code "linear"}, {@code "cosine"} or {@code "1-sqrt"}
         * @param minLrRatio where warm-up starts and decay ends, as a share of max_lr, in [0, 1]
         * @param totalSteps all steps, or null for epochs x steps per epoch
         * @param epochs epochs, or null
         * @param stepsPerEpoch optimizer steps per epoch, or null
         */
        public Spec {
            maxLr = ScheduleArgs.values("max_lr", maxLr, Checks::positive);
            Checks.atLeast("warmup_steps", warmupSteps, 0);
            if (!(decayFraction >= 0 && decayFraction <= 1)) {
                throw Checks.fail("decay_fraction", "in [0, 1]", Checks.fmt(decayFraction));
            }
            Checks.oneOf("warmup_type", warmupType, SHAPES);
            Checks.oneOf("decay_type", decayType, SHAPES);
            if (!(minLrRatio >= 0 && minLrRatio <= 1)) {
                throw Checks.fail("min_lr_ratio", "in [0, 1]", Checks.fmt(minLrRatio));
            }
            ScheduleArgs.lengthArgs(totalSteps, epochs, stepsPerEpoch);
        }

        /**
         * HF's defaults (linear warm-up, cosine decay, min_lr_ratio 0) with no warm-up and the
         * last 10% of the steps decaying.
         *
         * @param maxLr one value, or one per group
         * @return the spec
         */
        public static Spec of(double... maxLr) {
            return new Spec(boxed(maxLr), 0, 0.1, "linear", "cosine", 0, null, null, null);
        }

        @Override
        public String kind() {
            return "WarmupStableDecayLR";
        }

        @Override
        public WarmupStableDecayLr build(List<ParamGroup> groups) {
            return new WarmupStableDecayLr(this, groups);
        }

        /**
         * Returns the schedule's length: {@code total_steps}, else epochs x steps per epoch.
         *
         * @return the number of steps
         * @throws LuzjException when neither is given, or warm-up and decay do not fit in it
         */
        public int resolveTotalSteps() {
            int total = ScheduleArgs.totalSteps(
                    "warmup_stable_decay", totalSteps, epochs, stepsPerEpoch);
            Checks.check(
                    (long) warmupSteps + decaySteps(total) <= total, // in long: no wrap-around
                    "warmup_stable_decay's %s warm-up steps and %s decay steps (decay_fraction %s"
                            + " of %s) exceed its %s steps; shorten the warm-up or the decay",
                    warmupSteps,
                    decaySteps(total),
                    Checks.fmt(decayFraction),
                    total,
                    total);
            return total;
        }

        /** The decay's length in steps, rounded to the nearest step. */
        int decaySteps(int total) {
            return (int) Math.round(decayFraction * total);
        }

        private Spec with(int warmup, double fraction, String wType, String dType, double min,
                Integer total, Integer ep, Integer spe) {
            return new Spec(maxLr, warmup, fraction, wType, dType, min, total, ep, spe);
        }

        /**
         * Sets the warm-up's length.
         *
         * @param value steps {@code >= 0}
         * @return a new spec
         */
        public Spec warmupSteps(int value) {
            return with(value, decayFraction, warmupType, decayType, minLrRatio, totalSteps,
                    epochs, stepsPerEpoch);
        }

        /**
         * Sets the share of the steps spent decaying.
         *
         * @param value in [0, 1], 0.1 by default
         * @return a new spec
         */
        public Spec decayFraction(double value) {
            return with(warmupSteps, value, warmupType, decayType, minLrRatio, totalSteps,
                    epochs, stepsPerEpoch);
        }

        /**
         * Sets the warm-up's shape.
         *
         * @param value {@code "linear"} (default), {@code "cosine"} or {@code "1-sqrt"}
         * @return a new spec
         */
        public Spec warmupType(String value) {
            return with(warmupSteps, decayFraction, value, decayType, minLrRatio, totalSteps,
                    epochs, stepsPerEpoch);
        }

        /**
         * Sets the decay's shape.
         *
         * @param value {@code "cosine"} (default), {@code "linear"} or {@code "1-sqrt"}
         * @return a new spec
         */
        public Spec decayType(String value) {
            return with(warmupSteps, decayFraction, warmupType, value, minLrRatio, totalSteps,
                    epochs, stepsPerEpoch);
        }

        /**
         * Sets where warm-up starts and decay ends, as a share of max_lr.
         *
         * @param value in [0, 1], 0 by default
         * @return a new spec
         */
        public Spec minLrRatio(double value) {
            return with(warmupSteps, decayFraction, warmupType, decayType, value, totalSteps,
                    epochs, stepsPerEpoch);
        }

        /**
         * Sets the schedule's length in steps, which takes precedence over epochs.
         *
         * @param value {@code >= 1}
         * @return a new spec
         */
        public Spec totalSteps(int value) {
            return with(warmupSteps, decayFraction, warmupType, decayType, minLrRatio, value,
                    epochs, stepsPerEpoch);
        }

        /**
         * Sets the epochs.
         *
         * @param value {@code >= 1}
         * @return a new spec
         */
        public Spec epochs(int value) {
            return with(warmupSteps, decayFraction, warmupType, decayType, minLrRatio,
                    totalSteps, value, stepsPerEpoch);
        }

        /**
         * Sets the optimizer steps per epoch.
         *
         * @param value {@code >= 1}
         * @return a new spec
         */
        public Spec stepsPerEpoch(int value) {
            return with(warmupSteps, decayFraction, warmupType, decayType, minLrRatio,
                    totalSteps, epochs, value);
        }

        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "WarmupStableDecayLR(max_lr=%s, warmup_steps=%d, decay_fraction=%s,"
                            + " warmup_type=%s, decay_type=%s, min_lr_ratio=%s)",
                    maxLr, warmupSteps, Checks.fmt(decayFraction), warmupType, decayType,
                    Checks.fmt(minLrRatio));
        }
    }
}
