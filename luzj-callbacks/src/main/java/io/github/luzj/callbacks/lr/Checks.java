package io.github.luzj.callbacks.lr;

import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Argument checks whose messages name the argument, the value and the valid range. */
final class Checks {

    private Checks() {}

    /** Formats a number as Python would print it in a message: {@code -1}, {@code 1.5}. */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    static void fail(String name, String range, String got) {
        throw new LuzjException(name + " must be " + range + ", got " + got);
    }

    static double positive(String name, double v) {
        if (!(Double.isFinite(v) && v > 0)) {
            fail(name, "> 0", fmt(v));
        }
        return v;
    }

    static double nonNegative(String name, double v) {
        if (!(Double.isFinite(v) && v >= 0)) {
            fail(name, ">= 0", fmt(v));
        }
        return v;
    }

    static double open01(String name, double v) {
        if (!(v > 0 && v < 1)) {
            fail(name, "in (0, 1)", fmt(v));
        }
        return v;
    }

    /** A momentum or {@code beta1}: the optimizer accepts [0, 1). */
    static double momentum(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            fail(name, "in [0, 1)", fmt(v));
        }
        return v;
    }

    static int atLeast(String name, int v, int min) {
        if (v < min) {
            fail(name, ">= " + min, Integer.toString(v));
        }
        return v;
    }

    /** An upper bound, with the reason for it: step counts that would not finish or fit. */
    static int atMost(String name, long v, long max, String reason) {
        if (v > max) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "%s must be <= %,d (%s), got %,d", name, max, reason, v));
        }
        return (int) v;
    }

    static String oneOf(String name, String v, Set<String> valid) {
        if (v == null || !valid.contains(v)) {
            throw new LuzjException(
                    String.format(
                            Locale.ROOT,
                            "%s must be one of %s, got '%s'",
                            name,
                            String.join(", ", valid.stream().sorted().toList()),
                            v));
        }
        return v;
    }

    /** Checks the optional length arguments of a schedule: each, when given, at least 1. */
    static void lengthArgs(Integer totalSteps, Integer epochs, Integer stepsPerEpoch) {
        if (totalSteps != null) {
            atLeast("total_steps", totalSteps, 1);
        }
        if (epochs != null) {
            atLeast("epochs", epochs, 1);
        }
        if (stepsPerEpoch != null) {
            atLeast("steps_per_epoch", stepsPerEpoch, 1);
        }
    }

    /**
     * A schedule's length: {@code total_steps} when given, else epochs x steps per epoch.
     *
     * @throws LuzjException when neither is given
     */
    static int totalSteps(String schedule, Integer totalSteps, Integer epochs, Integer stepsPerEpoch) {
        if (totalSteps != null) {
            return totalSteps;
        }
        io.github.luzj.base.Checks.check(
                epochs != null && stepsPerEpoch != null,
                "%s needs total_steps, or epochs and steps_per_epoch; got epochs=%s,"
                        + " steps_per_epoch=%s: set the missing one (the scheduler callback"
                        + " fills steps_per_epoch from the training data)",
                schedule,
                epochs,
                stepsPerEpoch);
        return atMost("epochs x steps_per_epoch (" + epochs + " x " + stepsPerEpoch + ")",
                (long) epochs * stepsPerEpoch, Integer.MAX_VALUE,
                "a schedule counts its steps in an int");
    }

    /** Checks a single value or one per group; each element with {@code check}. */
    static List<Double> values(String name, double[] values, ValueCheck check) {
        if (values == null || values.length == 0) {
            throw new LuzjException(
                    name + " needs one value, or one per parameter group; got none");
        }
        List<Double> out = new ArrayList<>(values.length);
        for (double v : values) {
            out.add(check.apply(name, v));
        }
        return List.copyOf(out);
    }

    /** One of the checks above, as a function. */
    @FunctionalInterface
    interface ValueCheck {
        double apply(String name, double v);
    }

    static List<Double> boxed(double[] values) {
        return values == null ? List.of() : java.util.Arrays.stream(values).boxed().toList();
    }

    static double[] toArray(List<Double> values) {
        return values == null ? null : values.stream().mapToDouble(Double::doubleValue).toArray();
    }
}
