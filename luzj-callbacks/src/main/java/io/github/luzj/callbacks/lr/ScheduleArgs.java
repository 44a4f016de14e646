package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The arguments schedules share beyond {@link Checks}' generic ones: the optional length
 * arguments, a schedule's resolved length, and values given once or once per parameter group.
 */
final class ScheduleArgs {

    private ScheduleArgs() {}

    /** Checks the optional length arguments of a schedule: each, when given, at least 1. */
    static void lengthArgs(Integer totalSteps, Integer epochs, Integer stepsPerEpoch) {
        if (totalSteps != null) {
            Checks.atLeast("total_steps", totalSteps, 1);
        }
        if (epochs != null) {
            Checks.atLeast("epochs", epochs, 1);
        }
        if (stepsPerEpoch != null) {
            Checks.atLeast("steps_per_epoch", stepsPerEpoch, 1);
        }
    }

    /**
     * A schedule's length: {@code total_steps} when given, else epochs x steps per epoch.
     *
     * @throws LuzjException when neither is given
     */
    static int totalSteps(
            String schedule, Integer totalSteps, Integer epochs, Integer stepsPerEpoch) {
        if (totalSteps != null) {
            return totalSteps;
        }
        Checks.check(
                epochs != null && stepsPerEpoch != null,
                "%s needs total_steps, or epochs and steps_per_epoch; got epochs=%s,"
                        + " steps_per_epoch=%s: set the missing one (the scheduler callback"
                        + " fills steps_per_epoch from the training data)",
                schedule,
                epochs,
                stepsPerEpoch);
        return Checks.atMost("epochs x steps_per_epoch (" + epochs + " x " + stepsPerEpoch + ")",
                (long) epochs * stepsPerEpoch, Integer.MAX_VALUE,
                "a schedule counts its steps in an int");
    }

    /** Checks a single value or one per group; each element with {@code check}. */
    static List<Double> values(String name, List<Double> values, ValueCheck check) {
        if (values == null || values.isEmpty()) {
            throw new LuzjException(
                    name + " needs one value, or one per parameter group; got none");
        }
        List<Double> out = new ArrayList<>(values.size());
        for (Double v : values) {
            Checks.notNull(name + " value", v, "pass numbers");
            out.add(check.apply(name, v));
        }
        return List.copyOf(out);
    }

    /** One of {@link Checks}' range checks, as a function. */
    @FunctionalInterface
    interface ValueCheck {
        double apply(String name, double v);
    }

    static List<Double> boxed(double[] values) {
        return values == null ? List.of() : Arrays.stream(values).boxed().toList();
    }
}
