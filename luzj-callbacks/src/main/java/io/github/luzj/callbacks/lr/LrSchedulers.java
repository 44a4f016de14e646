package io.github.luzj.callbacks.lr;

import java.util.Arrays;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * Entry points for learning-rate schedule specs, named after R torch's {@code lr_*} functions and
 * taking PyTorch's defaults. Every spec is immutable and validated as it is made:
 *
 * <pre>{@code
 * SchedulerSpec oneCycle = LrSchedulers.oneCycle(0.01);   // epochs and steps from the fit
 * SchedulerSpec fixed = LrSchedulers.oneCycle(0.01).totalSteps(2345);   // outside a fit
 * SchedulerSpec plateau = LrSchedulers.reduceOnPlateau().factor(0.5).patience(2);
 * SchedulerSpec warmThenDecay = LrSchedulers.sequential(
 *         List.of(LrSchedulers.linear().startFactor(0.1).totalIters(5),
 *                 LrSchedulers.exponential(0.9)),
 *         5);
 * }</pre>
 */
public final class LrSchedulers {

    private LrSchedulers() {}

    /**
     * R torch's {@code lr_one_cycle}, PyTorch's {@code OneCycleLR}.
     *
     * @param maxLr the peak learning rate, or one per parameter group
     * @return the spec; set {@code totalSteps} or {@code epochs} (and {@code stepsPerEpoch})
     */
    public static OneCycleLr.Spec oneCycle(double... maxLr) {
        return OneCycleLr.Spec.of(maxLr);
    }

    /**
     * Warmup-stable-decay, HF transformers' {@code get_wsd_schedule}: warm up to
     * {@code maxLr}, hold it, and decay over the last 10% of the steps (cosine by default;
     * {@code decayType("linear")} or {@code "1-sqrt"}).
     *
     * @param maxLr the stable learning rate, or one per parameter group
     * @return the spec; set {@code totalSteps} or {@code epochs} (and {@code stepsPerEpoch})
     */
    public static WarmupStableDecayLr.Spec warmupStableDecay(double... maxLr) {
        return WarmupStableDecayLr.Spec.of(maxLr);
    }

    /**
     * PyTorch's {@code CyclicLR} between {@code baseLr} and {@code maxLr}.
     *
     * @param baseLr the lower bound
     * @param maxLr the upper bound
     * @return the spec
     */
    public static CyclicLr.Spec cyclic(double baseLr, double maxLr) {
        return CyclicLr.Spec.of(baseLr, maxLr);
    }

    /**
     * PyTorch's {@code CosineAnnealingWarmRestarts} with {@code T_mult} 1 and {@code eta_min} 0.
     *
     * @param t0 {@code T_0}, the steps until the first restart
     * @return the spec
     */
    public static CosineAnnealingWarmRestarts.Spec cosineWarmRestarts(int t0) {
        return new CosineAnnealingWarmRestarts.Spec(t0, 1, 0);
    }

    /**
     * R torch's {@code lr_cosine_annealing}, PyTorch's {@code CosineAnnealingLR}, with
     * {@code eta_min} 0.
     *
     * @param tMax {@code T_max}
     * @return the spec
     */
    public static CosineAnnealingLr.Spec cosineAnnealing(int tMax) {
        return new CosineAnnealingLr.Spec(tMax, 0);
    }

    /**
     * R torch's {@code lr_step}, PyTorch's {@code StepLR}, with {@code gamma} 0.1.
     *
     * @param stepSize {@code step_size}
     * @return the spec
     */
    public static StepLr.Spec step(int stepSize) {
        return new StepLr.Spec(stepSize, 0.1);
    }

    /**
     * PyTorch's {@code MultiStepLR} with {@code gamma} 0.1.
     *
     * @param milestones the steps at which to decay
     * @return the spec
     */
    public static MultiStepLr.Spec multiStep(int... milestones) {
        return MultiStepLr.Spec.of(milestones);
    }

    /**
     * PyTorch's {@code ExponentialLR}.
     *
     * @param gamma the factor per step
     * @return the spec
     */
    public static ExponentialLr.Spec exponential(double gamma) {
        return new ExponentialLr.Spec(gamma);
    }

    /**
     * R torch's {@code lr_lambda}, PyTorch's {@code LambdaLR}.
     *
     * @param lrLambda one factor function of the step, or one per parameter group
     * @return the spec
     */
    public static LambdaLr.Spec lambda(IntToDoubleFunction... lrLambda) {
        return new LambdaLr.Spec(lrLambda == null ? null : Arrays.asList(lrLambda));
    }

    /**
     * R torch's {@code lr_multiplicative}, PyTorch's {@code MultiplicativeLR}.
     *
     * @param lrLambda one factor function of the step, or one per parameter group
     * @return the spec
     */
    public static MultiplicativeLr.Spec multiplicative(IntToDoubleFunction... lrLambda) {
        return new MultiplicativeLr.Spec(lrLambda == null ? null : Arrays.asList(lrLambda));
    }

    /**
     * PyTorch's {@code LinearLR}: from 1/3 to 1 of the initial learning rate over 5 steps.
     *
     * @return the spec
     */
    public static LinearLr.Spec linear() {
        return LinearLr.Spec.defaults();
    }

    /**
     * PyTorch's {@code SequentialLR}.
     *
     * @param schedulers the schedules in order
     * @param milestones the steps at which the next one starts
     * @return the spec
     */
    public static SequentialLr.Spec sequential(List<SchedulerSpec> schedulers, int... milestones) {
        return new SequentialLr.Spec(schedulers, Arrays.stream(milestones).boxed().toList());
    }

    /**
     * R torch's {@code lr_reduce_on_plateau}, PyTorch's {@code ReduceLROnPlateau}.
     *
     * @return the spec with PyTorch's defaults
     */
    public static ReduceLrOnPlateau.Spec reduceOnPlateau() {
        return ReduceLrOnPlateau.Spec.defaults();
    }
}
