package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * {@code torch.optim.Adam} and {@code torch.optim.AdamW} (PyTorch 1.13, single-tensor path,
 * {@code amsgrad=False}, {@code maximize=False}): PyTorch's own operations, in its order, run by
 * LibTorch ({@link AdamScript}), so the floats are PyTorch's.
 *
 * <p>DJL's fused {@code adamUpdate} computes an algebraically equal form ({@code lr} and
 * {@code eps} folded with {@code sqrt(1 - beta2^t)}), which rounds differently; this rule trades a
 * few more passes over memory for agreement with PyTorch.
 *
 * <p>{@link #applyAll} runs the moments' operations once on each group's parameters
 * concatenated ({@link FlatMoments}): the same values bit for bit as {@link #apply} on each
 * parameter, since every operation is elementwise, in one native call a step.
 *
 * <p>{@code beta1} is read at every step and used both in the moment update and in the bias
 * correction {@code 1 - beta1^t}, as PyTorch does when a scheduler cycles {@code betas[0]}.
 */
final class AdamRule implements UpdateRule {

    private final boolean decoupled;
    private final Map<ParamGroup, FlatMoments> flat = new IdentityHashMap<>();
    private AdamScript script;

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
        script(slots.get(0).weight()).stepAll(slots, moments, group, decoupled);
    }

    @Override
    public void apply(ParamGroup group, Slot slot, UnaryOperator<NDArray> keep) {
        slot.state().startMoments(slot.weight(), keep);
        script(slot.weight()).stepOne(slot, group, decoupled);
    }

    /** The loaded script, loaded on first use and again after {@link #close}. */
    private AdamScript script(NDArray weight) {
        if (script == null || !script.isOpen()) {
            script = AdamScript.load(weight.getManager());
        }
        return script;
    }

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

    /** Frees the script and the flat layouts' arrays; the next step loads and lays out again. */
    @Override
    public void close() {
        if (script != null) {
            script.close();
            script = null;
        }
        flat.values().forEach(FlatMoments::close);
        flat.clear();
    }
}
