package io.github.luzj.callbacks.lr;

import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * A schedule written as a pure function of the step: each group's learning rate follows from its
 * initial one and the counter alone (PyTorch's closed forms), so stepping, restarting inside
 * {@link SequentialLr} and resuming from a state all give the same values. The spec is all the
 * state such a schedule has, so construction writes the starting values at once.
 *
 * @param <S> the spec's type
 */
abstract class ClosedFormScheduler<S extends SchedulerSpec> extends SpecScheduler<S> {

    ClosedFormScheduler(S spec, List<ParamGroup> groups) {
        super(spec, groups);
        initialize(); // safe: lrAt reads only the spec, which is set
    }

    /**
     * Returns the learning rate at counter {@code step} of a group that started at
     * {@code initialLr}.
     *
     * @param initialLr the group's initial learning rate
     * @param step the counter
     * @return the learning rate
     */
    abstract double lrAt(double initialLr, int step);

    @Override
    protected final void apply(int step) {
        setEachLr(g -> lrAt(g.initialLr(), step));
    }
}
