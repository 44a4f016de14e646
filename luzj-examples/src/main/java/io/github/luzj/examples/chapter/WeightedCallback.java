package io.github.luzj.examples.chapter;

import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.Set;

/**
 * A callback run at another weight: checkpoints go after the LR scheduler's epoch-end step, so
 * the saved scheduler state includes it.
 */
record WeightedCallback(Callback inner, int weight) implements Callback {

    @Override
    public Set<Phase> callOn() {
        return inner.callOn();
    }

    @Override
    public void on(Phase phase, Context ctx) {
        inner.on(phase, ctx);
    }

    @Override
    public String name() {
        return inner.name();
    }
}
