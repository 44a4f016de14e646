package io.github.luzj.fit;

import ai.djl.pytorch.jni.JniUtils;

/**
 * A scope in which PyTorch records no autograd graph (PyTorch's {@code torch.no_grad()}), restoring
 * the thread's previous grad mode when it closes.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     features = frozenBackbone.forward(ps, x, false);
 * }
 * }</pre>
 *
 * <p>PyTorch's grad mode is per thread, so the scope only affects the calling thread.
 */
public final class NoGrad implements AutoCloseable {

    private final boolean previous;

    private NoGrad(boolean previous) {
        this.previous = previous;
    }

    /**
     * Turns gradient recording off until {@link #close()}.
     *
     * @return the scope
     */
    public static NoGrad enter() {
        boolean previous = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        return new NoGrad(previous);
    }

    /** Restores the grad mode that was in force before {@link #enter()}. */
    @Override
    public void close() {
        JniUtils.setGradMode(previous);
    }
}
