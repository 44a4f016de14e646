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
    private final StepScalars.ByGroup scalars = new StepScalars.ByGroup(SCALARS);

    /** The numbers of a step, one operand each ({@link StepScalars}). */
    private static final int BETA1 = 0;
    private static final int ONE_MINUS_BETA1 = 1;
    private static final int BETA2 = 2;
    private static final int ONE_MINUS_BETA2 = 3;
    private static final int BIAS_CORRECTION2_SQRT = 4;
    private static final int EPS = 5;
    private static final int MINUS_STEP_SIZE = 6;
    private static final int WEIGHT_DECAY = 7;
    private static final int DECAY_FACTOR = 8;
    private static final int SCALARS = 9;

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
        StepScalars numbers = scalars.of(group, slots.get(0).weight(), keep);
        double lr = group.lr();
        double weightDecay = group.weightDecay();
        NDArray g = moments.concat(slots, true);
        if (decoupled) {
            for (Slot s : slots) {
                decay(s.weight(), 1 - lr * weightDecay, numbers);
            }
        } else if (weightDecay != 0) {
            NDArray wd = numbers.operand(WEIGHT_DECAY, weightDecay, g);
            g = g.add(moments.concat(slots, false).mul(wd));
        }
        long step = slots.get(0).state().step;
        updateFlat(group, step, moments, g, numbers);
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
    private static void updateFlat(
            ParamGroup group, long step, FlatMoments moments, NDArray g, StepScalars numbers) {
        double beta1 = group.momentum();
        double beta2 = group.beta2();
        NDArray scratch = moments.scratch();
        NDArray m = moments.expAvg();
        NDArray v = moments.expAvgSq();
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): (value * g) * g
        scratch.set(ALL, g);
        v.muli(numbers.operand(BETA2, beta2, v))
                .addi(scratch.muli(numbers.operand(ONE_MINUS_BETA2, 1 - beta2, v)).muli(g));
        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        m.muli(numbers.operand(BETA1, beta1, m))
                .addi(g.muli(numbers.operand(ONE_MINUS_BETA1, 1 - beta1, m)));
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = group.lr() / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        NDArray denom =
                v.sqrt()
                        .divi(numbers.operand(BIAS_CORRECTION2_SQRT, biasCorrection2Sqrt, v))
                        .addi(numbers.operand(EPS, group.eps(), v));
        // param.addcdiv_(exp_avg, denom, value=-step_size): (value * m) / denom
        scratch.set(ALL, m);
        scratch.muli(numbers.operand(MINUS_STEP_SIZE, -stepSize, m)).divi(denom);
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
    private static void decay(NDArray weight, double factor, StepScalars numbers) {
        if (factor != 1) {
            weight.muli(numbers.operand(DECAY_FACTOR, factor, weight));
        }
    }

    @Override
    public void apply(ParamGroup group, Slot slot, UnaryOperator<NDArray> keep) {
        ParamState state = slot.state();
        NDArray weight = slot.weight();
        double lr = group.lr();
        double weightDecay = group.weightDecay();
        state.startMoments(weight, keep);
        StepScalars numbers = scalars.of(group, weight, keep);
        NDArray g = slot.grad();
        if (decoupled) {
            decay(weight, 1 - lr * weightDecay, numbers);
        } else if (weightDecay != 0) {
            g = g.add(weight.mul(numbers.operand(WEIGHT_DECAY, weightDecay, weight)));
        }
        weight.addi(update(group, state.step, state.expAvg, state.expAvgSq, g, numbers));
    }

    /**
     * Advances the moments in place and returns the step to add to the weights: PyTorch's
     * operations one for one, in its order, so that float32 rounds as it does.
     */
    private static NDArray update(
            ParamGroup group,
            long step,
            NDArray expAvg,
            NDArray expAvgSq,
            NDArray g,
            StepScalars numbers) {
        double beta1 = group.momentum();
        double beta2 = group.beta2();
        // Temporaries are changed in place where PyTorch chains onto a fresh result, which gives
        // the same floats with half the allocations (each the size of the parameters).
        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        expAvg.muli(numbers.operand(BETA1, beta1, expAvg))
                .addi(g.mul(numbers.operand(ONE_MINUS_BETA1, 1 - beta1, expAvg)));
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2): (value * g) * g
        expAvgSq.muli(numbers.operand(BETA2, beta2, expAvgSq))
                .addi(g.mul(numbers.operand(ONE_MINUS_BETA2, 1 - beta2, expAvgSq)).muli(g));
        double biasCorrection1 = 1 - Math.pow(beta1, step);
        double biasCorrection2 = 1 - Math.pow(beta2, step);
        double stepSize = group.lr() / biasCorrection1;
        double biasCorrection2Sqrt = Math.sqrt(biasCorrection2);
        NDArray denom =
                expAvgSq.sqrt()
                        .divi(numbers.operand(BIAS_CORRECTION2_SQRT, biasCorrection2Sqrt, expAvgSq))
                        .addi(numbers.operand(EPS, group.eps(), expAvgSq));
        // param.addcdiv_(exp_avg, denom, value=-step_size): (value * m) / denom
        return expAvg.mul(numbers.operand(MINUS_STEP_SIZE, -stepSize, expAvg)).divi(denom);
    }
}
