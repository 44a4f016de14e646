package io.github.luzj.base;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which PyTorch records no autograd graph (PyTorch's {@code torch.no_grad()}): for
 * inference, validation and in-place work on parameters and gradients.
 *
 * <pre>{@code
 * try (GradMode ignored = GradMode.off()) {
 *     features = frozenBackbone.forward(ps, x, false);
 * }
 * }</pre>
 *
 * <p>Grad mode is per thread, and a fit may run on a thread other than the one that loaded the
 * engine (where DJL turned it off); with it on, PyTorch refuses in-place writes to parameters and
 * records copies in a graph. The scope touches grad mode only when it was on, and turns it back on
 * when it closes, so scopes nest and a scope entered with grad mode off leaves it off. With an
 * engine other than PyTorch there is no grad mode to change and the scope does nothing.
 */
public final class GradMode implements AutoCloseable {

    private static final GradMode UNCHANGED = new GradMode(false);

    private final boolean wasOn;

    private GradMode(boolean wasOn) {
        this.wasOn = wasOn;
    }

    /**
     * Turns gradient recording off on this thread until {@link #close()}.
     *
     * @return the scope
     */
    public static GradMode off() {
        if (!"PyTorch".equals(Engine.getInstance().getEngineName()) || !JniUtils.isGradMode()) {
            return UNCHANGED;
        }
        JniUtils.setGradMode(false);
        return new GradMode(true);
    }

    /** Turns gradient recording back on if {@link #off()} turned it off. */
    @Override
    public void close() {
        if (wasOn) {
            JniUtils.setGradMode(true);
        }
    }
}
