package io.github.luzj.callbacks.lr;

import io.github.luzj.LuzjException;
import io.github.luzj.optim.OptimizerSpec;
import java.util.List;

/**
 * One schedule to simulate: the optimizer whose groups it writes, the schedule, the number of
 * training steps, and for plateau schedules the metric seen after each step. Parsed by
 * {@link ScheduleSpecs#parse}.
 *
 * @param name the case's name
 * @param optimizer the optimizer
 * @param scheduler the schedule
 * @param steps how many training steps to simulate, {@code >= 1}
 * @param metrics the monitored metric after each step (plateau only), else empty
 */
public record ScheduleCase(
        String name,
        OptimizerSpec optimizer,
        SchedulerSpec scheduler,
        int steps,
        List<Double> metrics) {

    /** Checks that the parts fit together. */
    public ScheduleCase {
        LuzjException.check(optimizer != null, "schedule case '%s' has no optimizer", name);
        LuzjException.check(scheduler != null, "schedule case '%s' has no scheduler", name);
        Checks.atLeast("steps", steps, 1);
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /**
     * Returns this case with another schedule, for example a Java lambda in place of a Python
     * one.
     *
     * @param spec the schedule
     * @return a new case
     */
    public ScheduleCase withScheduler(SchedulerSpec spec) {
        return new ScheduleCase(name, optimizer, spec, steps, metrics);
    }
}
