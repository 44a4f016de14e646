package io.github.luzj.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * facebookresearch/schedule_free's {@code AdamWScheduleFree.step} (commit 70785b5, without inner
 * momentum), operation for operation. The parameter holds {@code y}, where gradients are taken;
 * the state holds {@code z} and Adam's second moment; the average {@code x} is never stored but
 * reached by {@link #toEval} ({@code y -> x}) and left by {@link #toTrain} ({@code x -> y}), the
 * reference's {@code eval()} and {@code train()}.
 *
 * <p>Per group, as the reference keeps them in {@code param_groups}: the step count {@code k},
 * the largest scheduled learning rate so far and the sum of the averaging weights.
 */
final class ScheduleFreeRule implements UpdateRule {

    /** The reference's per-group counters, saved with the optimizer's state. */
    static final class Clock {
        long k;
        double weightSum;
        double lrMax = -1;
    }

    private static final NDIndex ALL = new NDIndex("...");

    /** The numbers of a step, one operand each ({@link StepScalars}). */
    private static final int BETA2 = 0;
    private static final int ONE_MINUS_BETA2 = 1;
    private static final int BIAS_CORRECTION2 = 2;
    private static final int EPS = 3;
    private static final int DECAY = 4;
    private static final int LERP = 5;
    private static final int Y_STEP = 6;
    private static final int Z_STEP = 7;

    private final StepScalars.ByGroup scalars = new StepScalars.ByGroup(8);

    private final OptimizerSpec.ScheduleFree hp;
    private final Map<ParamGroup, Clock> clocks = new IdentityHashMap<>();

    ScheduleFreeRule(OptimizerSpec.ScheduleFree hp) {
        this.hp = hp;
    }

    Clock clock(ParamGroup group) {
        return clocks.computeIfAbsent(group, g -> new Clock());
    }

    /** Forgets the counters, with the state the optimizer frees. */
    void reset() {
        clocks.clear();
    }

    @Override
    public void applyAll(ParamGroup group, List<Slot> slots, UnaryOperator<NDArray> keep) {
        Clock c = clock(group);
        double beta1 = group.momentum();
        double beta2 = group.beta2();
        double sched = c.k < hp.warmupSteps() ? (c.k + 1) / (double) hp.warmupSteps() : 1.0;
        double biasCorrection2 = 1 - Math.pow(beta2, c.k + 1);
        double lr = group.lr() * sched;
        c.lrMax = Math.max(lr, c.lrMax);
        double weight = Math.pow(c.k + 1, hp.r()) * Math.pow(c.lrMax, hp.weightLrPower());
        c.weightSum += weight;
        double ckp1 = c.weightSum == 0 ? 0 : weight / c.weightSum;
        double decay = group.weightDecay();
        StepScalars numbers = scalars.of(group, slots.get(0).weight(), keep);
        for (Slot s : slots) {
            ParamState state = s.state();
            NDArray y = s.weight();
            if (state.z == null) {
                state.z = keep.apply(y.duplicate());
                state.expAvgSq = keep.apply(y.zerosLike());
            }
            NDArray g = s.grad();
            // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1-beta2)
            state.expAvgSq
                    .muli(numbers.operand(BETA2, beta2, y))
                    .addi(g.mul(numbers.operand(ONE_MINUS_BETA2, 1 - beta2, y)).muli(g));
            // denom = exp_avg_sq.div(bias_correction2).sqrt_().add_(eps)
            NDArray denom =
                    state.expAvgSq
                            .div(numbers.operand(BIAS_CORRECTION2, biasCorrection2, y))
                            .sqrt()
                            .addi(numbers.operand(EPS, group.eps(), y));
            NDArray normalized = g.div(denom);
            if (decay != 0) {
                normalized.addi(y.mul(numbers.operand(DECAY, decay, y))); // weight decay taken at y
            }
            lerpInPlace(y, state.z, ckp1, numbers);
            y.addi(normalized.mul(numbers.operand(Y_STEP, lr * (beta1 * (1 - ckp1) - 1), y)));
            state.z.subi(normalized.mul(numbers.operand(Z_STEP, lr, y)));
        }
        c.k++;
    }

    @Override
    public void apply(ParamGroup group, Slot slot, UnaryOperator<NDArray> keep) {
        applyAll(group, List.of(slot), keep);
    }

    /** {@code p.lerp_(z, 1 - 1/beta1)}: from y to x. */
    static void toEval(ParamGroup group, ParamState state, NDArray weight) {
        if (state != null && state.z != null) {
            lerpInPlace(weight, state.z, 1 - 1 / group.momentum(), StepScalars.fresh());
        }
    }

    /** {@code p.lerp_(z, 1 - beta1)}: from x back to y. */
    static void toTrain(ParamGroup group, ParamState state, NDArray weight) {
        if (state != null && state.z != null) {
            lerpInPlace(weight, state.z, 1 - group.momentum(), StepScalars.fresh());
        }
    }

    /** {@code start.lerp_(end, w)} as PyTorch's CPU kernel computes it, in two branches. */
    private static void lerpInPlace(NDArray start, NDArray end, double w, StepScalars numbers) {
        if (w == 0) {
            return;
        }
        NDArray diff = end.sub(start);
        if (Math.abs(w) < 0.5) {
            start.addi(diff.muli(numbers.operand(LERP, w, diff)));
        } else {
            start.set(ALL, end.sub(diff.muli(numbers.operand(LERP, 1 - w, diff))));
        }
    }
}
