package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.function.UnaryOperator;

/**
 * Adam and AdamW in one native call per parameter (DJL's {@code adamUpdate} kernel, the one its
 * own {@code Adam} uses) instead of one call per PyTorch operation. Same state, same live
 * hyperparameters, same result up to float32 rounding: the kernel folds the bias corrections
 * into the step, {@code w -= lr·sqrt(1-β2ᵗ)/(1-β1ᵗ) · m / (sqrt(v) + ε')}, and passing
 * {@code ε' = ε·sqrt(1-β2ᵗ)} makes that PyTorch's {@code w -= lr/(1-β1ᵗ) · m / (sqrt(v)/sqrt(1-β2ᵗ) + ε)}
 * exactly, in real arithmetic.
 */
final class FusedAdamRule implements UpdateRule {

    private final boolean decoupled;

    /**
     * Creates the rule.
     *
     * @param decoupled true for AdamW's decoupled weight decay, false for Adam's L2 term
     */
    FusedAdamRule(boolean decoupled) {
        this.decoupled = decoupled;
    }

    @Override
    public void apply(ParamGroup group, Slot slot, UnaryOperator<NDArray> keep) {
        PtNDArray w = UpdateRule.pytorch(slot.weight(), "fused Adam");
        PtNDArray g = UpdateRule.pytorch(slot.grad(), "fused Adam");
        ParamState state = slot.state();
        state.startMoments(w, keep);
        double lr = group.lr();
        double beta1 = group.momentum();
        double beta2 = group.beta2();
        double biasCorrection2Sqrt = Math.sqrt(1 - Math.pow(beta2, state.step));
        double stepSize = lr * biasCorrection2Sqrt / (1 - Math.pow(beta1, state.step));
        JniUtils.adamUpdate(
                w,
                g,
                (PtNDArray) state.expAvg,
                (PtNDArray) state.expAvgSq,
                (float) lr,
                (float) stepSize,
                (float) group.weightDecay(),
                1f, // no gradient rescaling
                -1f, // a negative bound turns the kernel's gradient clipping off
                (float) beta1,
                (float) beta2,
                (float) (group.eps() * biasCorrection2Sqrt),
                decoupled);
    }
}
