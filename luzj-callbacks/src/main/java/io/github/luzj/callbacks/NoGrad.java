package io.github.luzj.callbacks;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Turns PyTorch's autograd off for a block of in-place work on parameters and gradients, and
 * back on if it was on. Grad mode is per thread, and a fit may run on a thread other than the
 * one that loaded the engine (where DJL turned it off); with it on, PyTorch refuses in-place
 * writes to parameters and records copies in a graph.
 */
final class NoGrad implements AutoCloseable {

    private final boolean wasOn;

    private NoGrad(boolean wasOn) {
        this.wasOn = wasOn;
    }

    static NoGrad enter() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName())) {
            return new NoGrad(false);
        }
        boolean on = JniUtils.isGradMode();
        if (on) {
            JniUtils.setGradMode(false);
        }
        return new NoGrad(on);
    }

    @Override
    public void close() {
        if (wasOn) {
            JniUtils.setGradMode(true);
        }
    }
}
