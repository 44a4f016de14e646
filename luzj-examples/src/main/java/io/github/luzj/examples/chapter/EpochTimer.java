package io.github.luzj.examples.chapter;

import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/** Measures each epoch's wall time (training and validation) for the run's summary. */
final class EpochTimer implements Callback {

    private final List<Double> seconds = new ArrayList<>();
    private long start;

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(Phase.EPOCH_BEGIN, Phase.EPOCH_END);
    }

    @Override
    public int weight() {
        return -1000; // before any other epoch-end work, so their time is not counted
    }

    @Override
    public void on(Phase phase, Context ctx) {
        if (phase == Phase.EPOCH_BEGIN) {
            start = System.nanoTime();
        } else {
            seconds.add((System.nanoTime() - start) / 1e9);
        }
    }

    /**
     * Returns the epochs' wall times.
     *
     * @return seconds per epoch
     */
    List<Double> seconds() {
        return List.copyOf(seconds);
    }
}
