package io.github.luzj.callbacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.luzj.base.Checks;
import io.github.luzj.base.GradMode;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.ParamGroup;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Clips the gradients before every optimizer step (luz's {@code luz_callback_gradient_clip},
 * fastai's {@code GradientClip}).
 *
 * <ul>
 *   <li>{@link #byNorm(double)}: PyTorch's {@code clip_grad_norm_}. The total norm is taken over
 *       the gradients of all trainable parameters together, as if they were one vector; when it
 *       exceeds {@code maxNorm}, every gradient is multiplied by
 *       {@code maxNorm / (norm + 1e-6)}. The norm is L2 unless {@link #normType(double)} says
 *       otherwise ({@code Double.POSITIVE_INFINITY} for the largest absolute value).
 *   <li>{@link #byValue(double)}: PyTorch's {@code clip_grad_value_}, every gradient element
 *       clamped to {@code [-clipValue, clipValue]}.
 * </ul>
 *
 * <p>Everything happens on the device, in place, with no read back to the host: the scale
 * factor {@code min(1, maxNorm / (norm + 1e-6))} is itself an array. Parameters no backward pass
 * has reached are skipped, as PyTorch skips {@code grad is None}.
 *
 * <pre>{@code
 * GradientClipping clip = LuzCallbacks.gradientClip(1.0);          // luz's defaults: L2, 1
 * GradientClipping clamp = GradientClipping.byValue(0.5);
 * }</pre>
 */
public final class GradientClipping implements Callback {

    /** PyTorch's guard against a zero norm in {@code clip_grad_norm_}. */
    public static final float EPS = 1e-6f;

    private static final NDIndex ALL = new NDIndex("...");

    private final boolean byNorm;
    private final double limit;
    private final double normType;

    private GradientClipping(boolean byNorm, double limit, double normType) {
        this.byNorm = byNorm;
        this.limit = Checks.positive(byNorm ? "maxNorm" : "clipValue", limit);
        if ((float) limit == 0) { // the clip runs in float: a smaller limit would zero every gradient
            throw Checks.fail(byNorm ? "maxNorm" : "clipValue", "at least 1.4e-45, the smallest float",
                    Checks.fmt(limit));
        }
        if (!(normType > 0)) {
            throw Checks.fail("normType", "> 0 (2 for L2, Double.POSITIVE_INFINITY for max)",
                    Checks.fmt(normType));
        }
        this.normType = normType;
    }

    /**
     * Clips the total L2 norm of all gradients to {@code maxNorm}.
     *
     * @param maxNorm a finite number {@code > 0}
     * @return the callback
     */
    public static GradientClipping byNorm(double maxNorm) {
        return new GradientClipping(true, maxNorm, 2);
    }

    /**
     * Clamps every gradient element to {@code [-clipValue, clipValue]}.
     *
     * @param clipValue a finite number {@code > 0}
     * @return the callback
     */
    public static GradientClipping byValue(double clipValue) {
        return new GradientClipping(false, clipValue, 2);
    }

    /**
     * Returns a copy of a by-norm clipping that uses the {@code p}-norm.
     *
     * @param p {@code > 0}, such as 1, 2 or {@code Double.POSITIVE_INFINITY}
     * @return the new callback
     * @throws LuzjException when this callback clips by value
     */
    public GradientClipping normType(double p) {
        Checks.check(
                byNorm,
                "normType applies to clipping by norm; use GradientClipping.byNorm(maxNorm)"
                        + ".normType(%s)",
                Checks.fmt(p));
        return new GradientClipping(true, limit, p);
    }

    /**
     * Tells whether this clips the norm (else the values).
     *
     * @return true for {@link #byNorm}
     */
    public boolean clipsNorm() {
        return byNorm;
    }

    /**
     * Returns {@code maxNorm} or {@code clipValue}.
     *
     * @return the limit
     */
    public double limit() {
        return limit;
    }

    /**
     * Returns the norm's order.
     *
     * @return p, 2 by default
     */
    public double normType() {
        return normType;
    }

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(Phase.TRAIN_BATCH_BEFORE_STEP);
    }

    @Override
    public String name() {
        return byNorm ? "GradientClipping(norm " + Checks.fmt(normType) + " <= " + Checks.fmt(limit)
                + ")" : "GradientClipping(|value| <= " + Checks.fmt(limit) + ")";
    }

    @Override
    public void on(Phase phase, Context ctx) {
        try (GradMode ignored = GradMode.off();
                NDScope scope = new NDScope()) {
            scope.suppressNotUsedWarning();
            List<NDArray> grads = gradients(ctx);
            if (grads.isEmpty()) {
                return;
            }
            if (byNorm) {
                NDArray scale = totalNorm(grads, normType)
                        .add(EPS)
                        .pow(-1)
                        .mul((float) limit)
                        .minimum(1f);
                for (NDArray g : grads) {
                    g.muli(scale);
                }
            } else {
                float v = (float) limit;
                for (NDArray g : grads) {
                    g.set(ALL, g.clip(-v, v));
                }
            }
        }
    }

    /**
     * Returns the total {@code p}-norm of {@code grads} taken together, on their device.
     *
     * @param grads the gradients
     * @param p the order, {@code Double.POSITIVE_INFINITY} for the largest absolute value
     * @return a scalar array
     */
    static NDArray totalNorm(List<NDArray> grads, double p) {
        NDArray total = null;
        for (NDArray g : grads) {
            NDArray part;
            if (p == Double.POSITIVE_INFINITY) {
                part = g.abs().max();
            } else if (p == 2) {
                part = g.square().sum();
            } else if (p == 1) {
                part = g.abs().sum();
            } else {
                part = g.abs().pow((float) p).sum();
            }
            if (total == null) {
                total = part;
            } else {
                total = p == Double.POSITIVE_INFINITY ? total.maximum(part) : total.add(part);
            }
        }
        if (p == Double.POSITIVE_INFINITY || p == 1) {
            return total;
        }
        return p == 2 ? total.sqrt() : total.pow((float) (1 / p));
    }

    /** The live gradients of the optimizer's parameters; closed by the caller's scope. */
    private static List<NDArray> gradients(Context ctx) {
        List<NDArray> grads = new ArrayList<>();
        for (ParamGroup group : ctx.optimizer().groups()) {
            for (Parameter p : group.parameters()) {
                NDArray w = p.getArray();
                if (!w.hasGradient()) {
                    continue;
                }
                // DJL's getGradient() would invent zeros where PyTorch's .grad is undefined
                NDArray g = w instanceof PtNDArray pt ? JniUtils.getGradient(pt) : w.getGradient();
                if (g != null) {
                    grads.add(g);
                }
            }
        }
        return grads;
    }
}
