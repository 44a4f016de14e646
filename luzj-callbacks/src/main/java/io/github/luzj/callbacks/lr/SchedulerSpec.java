package io.github.luzj.callbacks.lr;

import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * An immutable description of a learning-rate schedule, validated when it is made; {@link #build}
 * turns it into a live {@link LrScheduler} over an optimizer's parameter groups. Start from
 * {@link LrSchedulers}:
 *
 * <pre>{@code
 * SchedulerSpec spec = LrSchedulers.oneCycle(0.01);   // epochs and steps per epoch from the fit
 * LrScheduler live = spec.withFitDefaults(5, 469).build(optimizer.groups());
 * }</pre>
 */
public interface SchedulerSpec {

    /**
     * Returns PyTorch's name of the scheduler this spec builds, such as {@code "OneCycleLR"}.
     *
     * @return the kind
     */
    String kind();

    /**
     * Builds the live scheduler, which writes the groups' starting values at once.
     *
     * @param groups the optimizer's parameter groups
     * @return the scheduler
     * @throws io.github.luzj.base.LuzjException when a per-group value does not fit the groups or a
     *     required value is missing
     */
    LrScheduler build(List<ParamGroup> groups);

    /**
     * Tells whether the scheduler moves momentum (SGD) or {@code beta1} (Adam) as well as the
     * learning rate: the {@code cycle_momentum} of one-cycle and cyclic schedules.
     *
     * @return false but for schedules that cycle momentum
     */
    default boolean cycleMomentum() {
        return false;
    }

    /**
     * Returns this spec with {@code steps_per_epoch} set to {@code stepsPerEpoch} where it needs
     * one and was left unset (the scheduler callback passes the fit's training batch count).
     *
     * @param stepsPerEpoch the number of training batches per epoch
     * @return this spec, or a completed copy
     */
    default SchedulerSpec withDefaultStepsPerEpoch(int stepsPerEpoch) {
        return this;
    }

    /**
     * Returns this spec with what it needs and leaves unset taken from the fit: its
     * {@code epochs} and {@code steps_per_epoch} (the scheduler callback passes the fit's).
     *
     * @param epochs the epochs the fit runs
     * @param stepsPerEpoch the steps the schedule takes per epoch
     * @return this spec, or a completed copy
     */
    default SchedulerSpec withFitDefaults(int epochs, int stepsPerEpoch) {
        return withDefaultStepsPerEpoch(stepsPerEpoch);
    }

    /**
     * Returns the number of steps the schedule is built to last, for a schedule with an end
     * (one-cycle); the scheduler callback compares it with the steps the fit will take.
     *
     * @return the steps, or -1 for a schedule that has no fixed length
     */
    default long plannedSteps() {
        return -1;
    }
}
