package io.github.luzj.callbacks;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.record.Records;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Which epoch metric a callback watches and what counts as an improvement (Keras's
 * {@code MonitorCallback}, luz's {@code monitor_metrics}). Immutable; every argument is checked
 * when it is given.
 *
 * <p>The metric is named as luz names it, {@code "<set>_<metric>"}: {@code "valid_loss"},
 * {@code "train_acc"}, {@code "valid_top5_acc"}; the name is case-insensitive.
 *
 * <pre>{@code
 * Monitor m = Monitor.of("valid_acc").withMinDelta(0.01);   // mode auto: higher is better
 * m.isImprovement(0.95, 0.93);                             // true: better by more than 0.01
 * }</pre>
 *
 * @param set {@link Records#TRAIN} or {@link Records#VALID}
 * @param metric the metric's abbreviation, such as {@code "loss"}
 * @param mode the direction as given; {@link Mode#AUTO} is resolved by {@link #direction()}
 * @param minDelta how much better a value must be to count, {@code >= 0}
 * @param baseline the value to beat before any epoch, or null
 */
public record Monitor(String set, String metric, Mode mode, double minDelta, Double baseline) {

    /** What counts as better. */
    public enum Mode {
        /** Lower is better (losses, errors). */
        MIN,
        /** Higher is better (accuracies). */
        MAX,
        /** Closer to zero is better (luz's {@code "zero"}). */
        ZERO,
        /** {@link #MAX} for accuracy-like names ({@code acc}, {@code auc}), else {@link #MIN}. */
        AUTO;

        /**
         * Parses {@code "min"}, {@code "max"}, {@code "zero"} or {@code "auto"}, case-insensitive.
         *
         * @param name the mode's name
         * @return the mode
         * @throws LuzjException naming the valid modes otherwise
         */
        public static Mode parse(String name) {
            if (name != null) {
                for (Mode m : values()) {
                    if (m.name().equalsIgnoreCase(name.trim())) {
                        return m;
                    }
                }
            }
            throw new LuzjException(
                    "mode must be one of "
                            + Arrays.stream(values())
                                    .map(m -> m.name().toLowerCase(Locale.ROOT))
                                    .collect(Collectors.joining(", "))
                            + ", got '" + name + "'");
        }
    }

    /**
     * Checks the components.
     *
     * @param set {@link Records#TRAIN} or {@link Records#VALID}
     * @param metric the metric's abbreviation
     * @param mode the direction
     * @param minDelta {@code >= 0}
     * @param baseline a finite value, or null
     * @throws LuzjException naming the argument and the value received
     */
    public Monitor {
        Checks.check(
                Records.TRAIN.equals(set) || Records.VALID.equals(set),
                "monitor set must be '%s' or '%s', got '%s'",
                Records.TRAIN,
                Records.VALID,
                set);
        Checks.check(
                metric != null && !metric.isBlank(),
                "monitor metric must be a metric's abbreviation such as 'loss', got '%s'",
                metric);
        Checks.notNull("mode", mode, "pass min, max, zero or auto");
        Checks.nonNegative("minDelta", minDelta);
        if (baseline != null) {
            Checks.finite("baseline", baseline);
        }
    }

    /**
     * Monitors {@code name} ({@code "valid_loss"}, {@code "train_acc"}, ...) in mode auto, with
     * no minimum delta and no baseline.
     *
     * @param name {@code "<set>_<metric>"}, set {@code train} or {@code valid}
     * @return the monitor
     * @throws LuzjException when the name has no set prefix
     */
    public static Monitor of(String name) {
        String n = name == null ? "" : name.trim().toLowerCase(Locale.ROOT);
        int cut = n.indexOf('_');
        String set = cut < 0 ? "" : n.substring(0, cut);
        if (cut < 0
                || cut == n.length() - 1
                || !(set.equals(Records.TRAIN) || set.equals(Records.VALID))) {
            throw new LuzjException(
                    "monitor must be '<set>_<metric>' with set 'train' or 'valid', such as"
                            + " 'valid_loss' or 'train_acc', got '" + name + "'");
        }
        return new Monitor(set, n.substring(cut + 1), Mode.AUTO, 0, null);
    }

    /**
     * Returns luz's name of the monitored quantity, such as {@code "valid_loss"}.
     *
     * @return {@code set + "_" + metric}
     */
    public String name() {
        return set + "_" + metric;
    }

    /**
     * Returns a copy watching another metric, keeping mode, minimum delta and baseline.
     *
     * @param name {@code "<set>_<metric>"}
     * @return the new monitor
     */
    public Monitor withName(String name) {
        Monitor m = of(name);
        return new Monitor(m.set, m.metric, mode, minDelta, baseline);
    }

    /**
     * Returns a copy with another mode.
     *
     * @param mode {@code "min"}, {@code "max"}, {@code "zero"} or {@code "auto"}
     * @return the new monitor
     */
    public Monitor withMode(String mode) {
        return new Monitor(set, metric, Mode.parse(mode), minDelta, baseline);
    }

    /**
     * Returns a copy with another minimum delta.
     *
     * @param minDelta {@code >= 0}: a value must beat the best by more than this to count
     * @return the new monitor
     */
    public Monitor withMinDelta(double minDelta) {
        return new Monitor(set, metric, mode, minDelta, baseline);
    }

    /**
     * Returns a copy with a baseline, the value to beat before any epoch has been seen.
     *
     * @param baseline a finite value, or null for none
     * @return the new monitor
     */
    public Monitor withBaseline(Double baseline) {
        return new Monitor(set, metric, mode, minDelta, baseline);
    }

    /**
     * Returns the resolved direction: {@link Mode#AUTO} becomes {@link Mode#MAX} for names
     * that contain {@code acc} or {@code auc} (as Keras's {@code auto}), else {@link Mode#MIN}.
     *
     * @return {@link Mode#MIN}, {@link Mode#MAX} or {@link Mode#ZERO}
     */
    public Mode direction() {
        if (mode != Mode.AUTO) {
            return mode;
        }
        return metric.contains("acc") || metric.contains("auc") ? Mode.MAX : Mode.MIN;
    }

    /**
     * Tells whether {@code value} improves on {@code reference} by more than
     * {@link #minDelta()} in this monitor's direction. NaN is never an improvement; anything
     * else improves on a missing reference.
     *
     * @param value the new value
     * @param reference the best so far, or null when there is none
     * @return true when {@code value} is better
     */
    public boolean isImprovement(double value, Double reference) {
        if (Double.isNaN(value)) {
            return false;
        }
        if (reference == null || Double.isNaN(reference)) {
            return true;
        }
        return switch (direction()) {
            case MIN -> value < reference - minDelta;
            case MAX -> value > reference + minDelta;
            case ZERO -> Math.abs(value) < Math.abs(reference) - minDelta;
            case AUTO -> throw new IllegalStateException("direction() resolves AUTO");
        };
    }
}
