package io.github.luzj.callbacks.lr;

import ai.djl.nn.Parameter;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.OptimizerSpec;
import java.util.List;
import java.util.Map;

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

    /**
     * Checks that the parts fit together.
     *
     * @param name the case's name
     * @param optimizer the optimizer
     * @param scheduler the schedule
     * @param steps how many training steps to simulate, {@code >= 1}
     * @param metrics the monitored metric after each step (plateau only), else empty
     */
    public ScheduleCase {
        io.github.luzj.base.Checks.check(optimizer != null, "schedule case '%s' has no optimizer", name);
        io.github.luzj.base.Checks.check(scheduler != null, "schedule case '%s' has no scheduler", name);
        Checks.atLeast("steps", steps, 1);
        Checks.atMost("steps", steps, MAX_STEPS, "a simulated schedule writes one CSV row per"
                + " step; training runs are far shorter");
        metrics = metrics == null ? List.of() : List.copyOf(metrics);
    }

    /**
     * Returns this case with another schedule, for example a Java lambda in place of a Python
     * one.
     *
     * @param spec the schedule
     * @return a new case
     */
    /** The most steps a case may simulate: 10 million rows are a CSV of about 500 MB. */
    public static final int MAX_STEPS = 10_000_000;

    public ScheduleCase withScheduler(SchedulerSpec spec) {
        return new ScheduleCase(name, optimizer, spec, steps, metrics);
    }

    /**
     * Builds the case's optimizer over one parameter, so that its groups can be scheduled by
     * hand: {@code scheduler().build(c.buildOptimizer().groups())}.
     *
     * @return the optimizer (close it when done)
     */
    public LuzOptimizer buildOptimizer() {
        // grouping needs the parameters' names only, not their arrays
        return optimizer.build(
                Map.of("weight",
                        Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                                .build()));
    }
}
