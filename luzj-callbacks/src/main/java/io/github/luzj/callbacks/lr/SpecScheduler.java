package io.github.luzj.callbacks.lr;

import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * What every built-in scheduler shares: the spec it was built from, whose kind names it, and
 * whether it moves momentum (the spec's {@code cycle_momentum}).
 *
 * @param <S> the spec's type
 */
abstract class SpecScheduler<S extends SchedulerSpec> extends LrScheduler {

    private final S spec;

    SpecScheduler(S spec, List<ParamGroup> groups) {
        super(spec.kind(), groups);
        this.spec = spec;
    }

    /**
     * Returns the spec this scheduler was built from.
     *
     * @return the spec
     */
    public final S spec() {
        return spec;
    }

    @Override
    protected boolean movesMomentum() {
        return spec.cycleMomentum();
    }

    /** Writes into each group the learning rate {@code lr} computes from the group. */
    final void setEachLr(ToDoubleFunction<ParamGroup> lr) {
        for (ParamGroup g : groups()) {
            g.setLr(lr.applyAsDouble(g));
        }
    }
}
