package io.github.luzj.callbacks.lr;

import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * An immutable description of a learning-rate schedule, validated when it is made; {@link #build}
 * turns it into a live {@link LrScheduler} over an optimizer's parameter groups. Start from
 * {@link LrSchedulers}:
 *
 * <pre>{@code
 * SchedulerSpec spec = LrSchedulers.oneCycle(0.01).epochs(5);   // steps per epoch from the fit
 * LrScheduler live = spec.withDefaultStepsPerEpoch(469).build(optimizer.groups());
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
     * @throws io.github.luzj.LuzjException when a per-group value does not fit the groups or a
     *     required value is missing
     */
    LrScheduler build(List<ParamGroup> groups);

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
}
