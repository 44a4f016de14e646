package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import io.github.luzj.base.MemoryOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;

/**
 * Adam's two moments for a whole parameter group, each one contiguous array, with every
 * parameter's {@link ParamState#expAvg} and {@link ParamState#expAvgSq} a view into it.
 *
 * <p>Elementwise float operations round each element alone, so running Adam's operations once on
 * the concatenation ({@link AdamScript}) gives every element the value the per-parameter
 * operations give, bit for bit, with each operation once per step instead of once per
 * parameter. The per-parameter views keep everything else (checkpoints, DJL's one-parameter
 * {@code update}) working on the same memory.
 *
 * <p>Each parameter's part runs in the order of the parameter's own memory: a channels-last
 * kernel's part is NHWC, and its views have the kernel's strides. Its gradient (which LibTorch
 * lays out like the kernel) then flattens into the concatenation without a copy, and the step
 * adds to the kernel element for element in memory order. Which element sits where in the flat
 * arrays changes no value, since every operation on them is elementwise.
 */
final class FlatMoments {

    private final List<ParamState> states;
    private final List<NDArray> expAvgViews;
    private final List<NDArray> expAvgSqViews;
    private final NDArray expAvg;
    private final NDArray expAvgSq;
    private final NDArray scratch;
    private final List<NDArray> scratchViews;
    private final long[] offsets;
    private final boolean[] channelsLast;

    private FlatMoments(
            List<ParamState> states,
            NDArray expAvg,
            NDArray expAvgSq,
            NDArray scratch,
            List<NDArray> scratchViews,
            long[] offsets,
            boolean[] channelsLast) {
        this.states = states;
        this.expAvg = expAvg;
        this.expAvgSq = expAvgSq;
        this.scratch = scratch;
        this.scratchViews = scratchViews;
        this.offsets = offsets;
        this.channelsLast = channelsLast;
        this.expAvgViews = states.stream().map(s -> s.expAvg).toList();
        this.expAvgSqViews = states.stream().map(s -> s.expAvgSq).toList();
    }

    /**
     * Lays out the moments of {@code slots} in two flat arrays and points each state at its
     * views. A state with no moments yet starts at zero, as PyTorch's does; a state with moments
     * (restored from a checkpoint, or from an earlier layout) keeps their values.
     *
     * @param slots the group's parameters this step, in order
     * @param keep moves a new array into the optimizer's state memory
     * @return the layout
     */
    static FlatMoments of(List<UpdateRule.Slot> slots, UnaryOperator<NDArray> keep) {
        List<ParamState> states = new ArrayList<>();
        NDList m = new NDList();
        NDList v = new NDList();
        long[] offsets = new long[slots.size() - 1];
        boolean[] channelsLast = new boolean[slots.size()];
        long at = 0;
        for (int i = 0; i < slots.size(); i++) {
            UpdateRule.Slot s = slots.get(i);
            states.add(s.state());
            NDArray w = s.weight();
            channelsLast[i] = MemoryOrder.channelsLast(w);
            NDArray m0 = s.state().expAvg == null ? w.zerosLike() : s.state().expAvg;
            NDArray v0 = s.state().expAvgSq == null ? w.zerosLike() : s.state().expAvgSq;
            m.add(flatten(m0, channelsLast[i]));
            v.add(flatten(v0, channelsLast[i]));
            at += w.size();
            if (i < offsets.length) {
                offsets[i] = at;
            }
        }
        NDArray flatM = keep.apply(NDArrays.concat(m));
        NDArray flatV = keep.apply(NDArrays.concat(v));
        NDArray scratch = keep.apply(flatM.zerosLike());
        NDList mViews = flatM.split(offsets);
        NDList vViews = flatV.split(offsets);
        NDList sViews = scratch.split(offsets);
        List<NDArray> scratchViews = new ArrayList<>();
        for (int i = 0; i < slots.size(); i++) {
            ParamState s = states.get(i);
            NDArray w = slots.get(i).weight();
            replace(s.expAvg, s.expAvgSq);
            s.expAvg = keep.apply(inShape(mViews.get(i), w, channelsLast[i]));
            s.expAvgSq = keep.apply(inShape(vViews.get(i), w, channelsLast[i]));
            scratchViews.add(keep.apply(inShape(sViews.get(i), w, channelsLast[i])));
        }
        return new FlatMoments(states, flatM, flatV, scratch, scratchViews, offsets, channelsLast);
    }

    /**
     * A parameter-shaped array flattened in the parameter's memory order: a view when {@code a}
     * has that order (a gradient, or a view of this layout), else a copy.
     */
    private static NDArray flatten(NDArray a, boolean channelsLast) {
        return channelsLast ? MemoryOrder.nhwcFlat(a) : a.flatten();
    }

    /** A flat part viewed in the parameter's shape, with the parameter's strides. */
    private static NDArray inShape(NDArray part, NDArray weight, boolean channelsLast) {
        return channelsLast
                ? MemoryOrder.channelsLastView(part, weight.getShape())
                : part.reshape(weight.getShape());
    }

    /**
     * The concatenation of every slot's gradient ({@code grads}) or weight, each flattened in the
     * order of this layout: for gradients laid out like their parameters, one copy in all (the
     * concatenation itself).
     *
     * @param slots the slots this layout {@linkplain #covers covers}
     * @param grads true for the gradients, false for the weights
     * @return a fresh array
     */
    NDArray concat(List<UpdateRule.Slot> slots, boolean grads) {
        NDList parts = new NDList(slots.size());
        for (int i = 0; i < slots.size(); i++) {
            UpdateRule.Slot s = slots.get(i);
            parts.add(flatten(grads ? s.grad() : s.weight(), channelsLast[i]));
        }
        return NDArrays.concat(parts);
    }

    private static void replace(NDArray... old) {
        for (NDArray a : old) {
            if (a != null) {
                a.close();
            }
        }
    }

    /**
     * Tells whether this layout still holds exactly these slots' moments: the same states in the
     * same order, each still pointing at its views. A checkpoint restored, a state cleared or a
     * parameter without a gradient this step breaks it.
     *
     * @param slots this step's parameters
     * @return true if the layout can be used as it is
     */
    boolean covers(List<UpdateRule.Slot> slots) {
        if (expAvg.isReleased() || slots.size() != states.size()) {
            return false;
        }
        for (int i = 0; i < slots.size(); i++) {
            ParamState s = slots.get(i).state();
            if (s != states.get(i)
                    || s.expAvg != expAvgViews.get(i)
                    || s.expAvgSq != expAvgSqViews.get(i)) {
                return false;
            }
        }
        return true;
    }

    /** The first moments of every parameter, concatenated. */
    NDArray expAvg() {
        return expAvg;
    }

    /** The second moments of every parameter, concatenated. */
    NDArray expAvgSq() {
        return expAvgSq;
    }

    /**
     * A third flat array of the same size, kept from step to step for the update's denominator:
     * freshly allocated arrays of this size cost page faults every step, more than the
     * arithmetic.
     */
    NDArray scratch() {
        return scratch;
    }

    /**
     * Each parameter's part of {@link #scratch}, a view in its shape and with its strides.
     *
     * @param i the parameter's position in the layout
     * @return the view
     */
    NDArray scratchView(int i) {
        return scratchViews.get(i);
    }

    /** For each parameter, whether its part runs in channels-last order. */
    boolean[] channelsLast() {
        return channelsLast.clone();
    }

    /** Where each parameter after the first starts in the flat arrays. */
    long[] offsets() {
        return offsets.clone();
    }

    /** Frees the flat arrays; the states' views keep the memory alive while they are open. */
    void close() {
        if (!expAvg.isReleased()) {
            expAvg.close();
        }
        if (!expAvgSq.isReleased()) {
            expAvgSq.close();
        }
        for (NDArray a : scratchViews) {
            if (!a.isReleased()) {
                a.close();
            }
        }
        if (!scratch.isReleased()) {
            scratch.close();
        }
    }
}
