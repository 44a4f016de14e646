package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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
 * <p>{@link #applyAll} runs the same operations once on each group's parameters concatenated
 * ({@link FlatMoments}): the same values bit for bit, in a dozen native calls a step instead of a
 * dozen per parameter, which for a small convnet is most of the step's cost.
 *
 * <p>{@code beta1} is read at every step and used both in the moment update and in the bias
 * correction {@code 1 - beta1^t}, as PyTorch does when a scheduler cycles {@code betas[0]}.
 */
final class AdamRule implements UpdateRule {

    private final boolean decoupled;
    private final Map<ParamGroup, FlatMoments> flat = new IdentityHashMap<>();

    /**
     * Creates the rule.
     *
     * @param decoupled true for AdamW's decoupled weight decay, false for Adam's L2 term
     */
    AdamRule(boolean decoupled) {
        this.decoupled = decoupled;
    }

    @Override
    public void applyAll(ParamGroup group, List<Slot> slots, UnaryOperator<NDArray> keep) {
        if (!concatenable(slots)) {
            UpdateRule.super.applyAll(group, slots, keep);
            return;
        }
        FlatMoments moments = flat.get(group);
        if (moments == null || !moments.covers(slots)) {
            FlatMoments fresh = FlatMoments.of(slots, keep);
            if (moments != null) {
                moments.close();
            }
            flat.put(group, fresh);
            moments = fresh;
        }
        double lr = group.lr();
        double weightDecay = group.weightDecay();
        NDArray g = moments.concat(slots, true);
        if (decoupled) {
            for (Slot s : slots) {
                decay(s.weight(), 1 - lr * weightDecay);
            }
        } else if (weightDecay != 0) {
            g = g.add(moments.concat(slots, false).mul(weightDecay));
        }
        long step = slots.get(0).state().step;
        updateFlat(group, step, moments, g);
        for (int i = 0; i < slots.size(); i++) {
            slots.get(i).weight().addi(moments.scratchView(i));
        }
    }

    /**
     * {@link #update}'s operations on the concatenation, with {@code g} (the concatenated
     * gradients, consumed) and the layout's scratch array as the temporaries: two fresh arrays a
     * step (the concatenation and the square root) instead of five. Leaves the step to add to
     * the weights in the scratch array. Each operation is one of {@link #update}'s, on the same
     * operands in the same order, so every float is the same.
     */
    private static void updateFlat(ParamGroup group, long step, FlatMoments moments, NDArray g) {
        double beta1 = group.momentum();
        double beta2 = group.beta2();
        NDArray scratch = moments.scratch();
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): (value * g) * g
        scratch.set(ALL, g);
        moments.expAvgSq().muli(beta2).addi(scratch.muli(1 - beta2).muli(g));
        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        moments.expAvg().muli(beta1).addi(g.muli(1 - beta1));
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = group.lr() / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        NDArray denom = moments.expAvgSq().sqrt().divi(biasCorrection2Sqrt).addi(group.eps());
        // param.addcdiv_(exp_avg, denom, value=-step_size): (value * m) / denom
        scratch.set(ALL, moments.expAvg());
        scratch.muli(-stepSize).divi(denom);
    }

    /** The whole of a 1-D array, for an exact copy into it ({@code copy_}). */
    private static final NDIndex ALL = new NDIndex(":");

    /** One layout serves all: same step count (same bias correction), data type and device. */
    private static boolean concatenable(List<Slot> slots) {
        Slot first = slots.get(0);
        for (Slot s : slots) {
            NDArray w = s.weight();
            if (s.state().step != first.state().step
                    || w.getDataType() != first.weight().getDataType()
                    || !w.getDevice().equals(first.weight().getDevice())
                    || s.grad().getDataType() != w.getDataType()) {
                return false;
            }
        }
        return true;
    }

    /** AdamW's decay; a factor of exactly 1 (no weight decay) leaves every float as it is. */
    private static void decay(NDArray weight, double factor) {
        if (factor != 1) {
            weight.muli(factor);
        }
    }

    @Override
    public void apply(ParamGroup group, Slot slot, UnaryOperator<NDArray> keep) {
        ParamState state = slot.state();
        NDArray weight = slot.weight();
        double lr = group.lr();
        double weightDecay = group.weightDecay();
        state.startMoments(weight, keep);
        NDArray g = slot.grad();
        if (decoupled) {
            decay(weight, 1 - lr * weightDecay);
        } else if (weightDecay != 0) {
            g = g.add(weight.mul(weightDecay));
        }
        weight.addi(update(group, state.step, state.expAvg, state.expAvgSq, g));
    }

    /**
     * Advances the moments in place and returns the step to add to the weights: PyTorch's
     * operations one for one, in its order, so that float32 rounds as it does.
     */
    private static NDArray update(
            ParamGroup group, long step, NDArray expAvg, NDArray expAvgSq, NDArray g) {
        double beta1 = group.momentum();
        double beta2 = group.beta2();
        // Temporaries are changed in place where PyTorch chains onto a fresh result, which gives
        // the same floats with half the allocations (each the size of the parameters).
        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        expAvg.muli(beta1).addi(g.mul(1 - beta1));
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): (value * g) * g
        expAvgSq.muli(beta2).addi(g.mul(1 - beta2).muli(g));
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = group.lr() / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        NDArray denom = expAvgSq.sqrt().divi(biasCorrection2Sqrt).addi(group.eps());
        // param.addcdiv_(exp_avg, denom, value=-step_size): (value * m) / denom
        return expAvg.mul(-stepSize).divi(denom);
    }
}
