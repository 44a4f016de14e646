package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import java.util.function.UnaryOperator;

/**
 * {@code torch.optim.Adam} and {@code torch.optim.AdamW} (PyTorch 1.13, single-tensor path,
 * {@code amsgrad=False}, {@code maximize=False}), one operation for each of PyTorch's, in its
 * order, so that float32 rounding matches too.
 *
 * <p>DJL's fused {@code adamUpdate} computes an algebraically equal form ({@code lr} and
 * {@code eps} folded with {@code sqrt(1 - beta2^t)}), which rounds differently; this rule trades a
 * few extra kernel calls for agreement with PyTorch.
 *
 * <p>{@code beta1} is read at every step and used both in the moment update and in the bias
 * correction {@code 1 - beta1^t}, as PyTorch does when a scheduler cycles {@code betas[0]}.
 */
final class AdamRule implements UpdateRule {

    private final boolean decoupled;

    /**
     * Creates the rule.
     *
     * @param decoupled true for AdamW's decoupled weight decay, false for Adam's L2 term
     */
    AdamRule(boolean decoupled) {
        this.decoupled = decoupled;
    }

    @Override
    public void apply(
            ParamGroup group,
            ParamState state,
            NDArray weight,
            NDArray grad,
            UnaryOperator<NDArray> keep) {
        double lr = group.lr();
        double beta1 = group.momentum();
        double beta2 = group.beta2();
        double weightDecay = group.weightDecay();
        if (state.expAvg == null) {
            state.expAvg = keep.apply(weight.zerosLike());
            state.expAvgSq = keep.apply(weight.zerosLike());
        }
        NDArray g = grad;
        if (decoupled) {
            // AdamW multiplies even when weight_decay == 0; the factor is then exactly 1
            weight.muli(1 - lr * weightDecay);
        } else if (weightDecay != 0) {
            g = grad.add(weight.mul(weightDecay));
        }
        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        state.expAvg.muli(beta1).addi(g.mul(1 - beta1));
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): (value * g) * g
        state.expAvgSq.muli(beta2).addi(g.mul(1 - beta2).mul(g));
        double biasCorrection1 = 1 - Math.pow(beta1, state.step);
        double biasCorrection2 = 1 - Math.pow(beta2, state.step);
        double stepSize = lr / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        NDArray denom = state.expAvgSq.sqrt().div(biasCorrection2Sqrt).add(group.eps());
        // param.addcdiv_(exp_avg, denom, value=-step_size): (value * m) / denom
        weight.addi(state.expAvg.mul(-stepSize).div(denom));
    }
}
