package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * One parameter's optimizer state, PyTorch's {@code optimizer.state[p]}: the step count, Adam's
 * two moments, SGD's momentum buffer, schedule-free AdamW's fast iterate {@code z} (its second
 * moment is {@code expAvgSq}). Arrays stay null until the rule first needs them, as in
 * PyTorch, so that a checkpoint taken before any step carries no moments.
 */
final class ParamState implements AutoCloseable {

    long step;
    NDArray expAvg;
    NDArray expAvgSq;
    NDArray momentumBuffer;
    NDArray z;

    /**
     * Creates Adam's two moments at zero, shaped as {@code weight}, unless they exist: PyTorch
     * makes them at a parameter's first step too.
     */
    void startMoments(NDArray weight, UnaryOperator<NDArray> keep) {
        if (expAvg == null) {
            expAvg = keep.apply(weight.zerosLike());
            expAvgSq = keep.apply(weight.zerosLike());
        }
    }

    /** Frees the state arrays; the state then reads as "never stepped". */
    @Override
    public void close() {
        for (NDArray a : new NDArray[] {expAvg, expAvgSq, momentumBuffer, z}) {
            if (a != null) {
                a.close();
            }
        }
        expAvg = null;
        expAvgSq = null;
        momentumBuffer = null;
        z = null;
        step = 0;
    }
}
