package io.github.luzj.lrfinder;

import io.github.luzj.callback.Callback;
import io.github.luzj.base.Checks;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.ParamGroup;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Drives one sweep from inside the fit loop: sets the step's learning rate at
 * {@link Phase#TRAIN_BATCH_BEGIN}, reads the raw loss at {@link Phase#TRAIN_BATCH_AFTER_LOSS},
 * smooths it, and asks the loop to stop after the last step, on divergence or on a non-finite
 * loss (the loop finishes the batch, then stops).
 *
 * <p>Groups keep their ratios: a group built at {@code f} times the optimizer's base rate gets
 * {@code f * lr(k)}, so a sweep over discriminative rates finds the base rate.
 */
final class SweepCallback implements Callback {

    private final LrSchedule schedule;
    private final double beta;
    private final boolean stopOnDivergence;
    private final double divergenceFactor;
    private final double baseLr;
    private final Consumer<Context> atFitBegin;
    private final double[] lr;
    private final double[] loss;
    private final double[] smoothed;
    private LossSmoother smoother;
    private double best;
    private int done;
    private StopReason stopReason;

    /**
     * Prepares a sweep.
     *
     * @param schedule the rates
     * @param beta the smoothing weight
     * @param stopOnDivergence whether to stop when the smoothed loss diverges
     * @param divergenceFactor how many times its minimum the smoothed loss may reach
     * @param baseLr the optimizer spec's rate, against which group factors are measured
     * @param atFitBegin runs once the model is initialized, before the first step
     */
    SweepCallback(
            LrSchedule schedule,
            double beta,
            boolean stopOnDivergence,
            double divergenceFactor,
            double baseLr,
            Consumer<Context> atFitBegin) {
        this.schedule = schedule;
        this.beta = beta;
        this.stopOnDivergence = stopOnDivergence;
        this.divergenceFactor = divergenceFactor;
        this.baseLr = baseLr;
        this.atFitBegin = atFitBegin;
        this.lr = new double[schedule.steps()];
        this.loss = new double[schedule.steps()];
        this.smoothed = new double[schedule.steps()];
    }

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(Phase.FIT_BEGIN, Phase.TRAIN_BATCH_BEGIN, Phase.TRAIN_BATCH_AFTER_LOSS);
    }

    @Override
    public String name() {
        return "LrFinder";
    }

    @Override
    public void on(Phase phase, Context ctx) {
        switch (phase) {
            case FIT_BEGIN -> {
                smoother = new LossSmoother(beta);
                best = Double.POSITIVE_INFINITY;
                done = 0;
                stopReason = null;
                atFitBegin.accept(ctx);
            }
            case TRAIN_BATCH_BEGIN -> setRate(ctx.optimizer().groups(), schedule.lr(done + 1));
            case TRAIN_BATCH_AFTER_LOSS -> record(ctx);
            default -> {}
        }
    }

    private void setRate(List<ParamGroup> groups, double rate) {
        for (ParamGroup g : groups) {
            g.setLr(rate * (g.initialLr() / baseLr));
        }
    }

    private void record(Context ctx) {
        // the fit's own words for it, before getFloat fails with DJL's "does not produce a scalar"
        Checks.check(
                ctx.loss().size() == 1,
                "the loss must be one number per batch, got shape %s; use a loss that averages"
                        + " over the batch",
                ctx.loss().getShape());
        double value = ctx.loss().getFloat(); // one scalar to the host per step, the sweep's only sync
        double avg = smoother.add(value);
        lr[done] = schedule.lr(done + 1);
        loss[done] = value;
        smoothed[done] = avg;
        done++;
        if (!Double.isFinite(value)) {
            stop(ctx, StopReason.NON_FINITE_LOSS, "the loss is " + value);
            return;
        }
        best = Math.min(best, avg);
        // factor x minimum, as fastai has it, for a positive minimum; a loss that goes below zero
        // (a negative log-likelihood) must rise by (factor - 1) x its size instead, or the first
        // step would count as diverged
        double limit = best + (divergenceFactor - 1) * Math.abs(best);
        if (stopOnDivergence && avg > limit) {
            stop(
                    ctx,
                    StopReason.DIVERGED,
                    best > 0
                            ? String.format(Locale.ROOT,
                                    "the smoothed loss %.4g exceeds %s times its minimum %.4g",
                                    avg, divergenceFactor, best)
                            : String.format(Locale.ROOT,
                                    "the smoothed loss %.4g exceeds %.4g, its minimum %.4g raised"
                                            + " by %s times its size",
                                    avg, limit, best, divergenceFactor - 1));
        } else if (done == schedule.steps()) {
            stop(ctx, StopReason.COMPLETED, "all " + done + " steps done");
        }
    }

    private void stop(Context ctx, StopReason reason, String why) {
        stopReason = reason;
        ctx.stopTraining("LR finder: " + why);
    }

    /**
     * Returns what the sweep recorded.
     *
     * @return the result
     */
    LrFinderResult result() {
        return new LrFinderResult(
                Arrays.copyOf(lr, done),
                Arrays.copyOf(loss, done),
                Arrays.copyOf(smoothed, done),
                schedule.steps(),
                stopReason == null ? StopReason.COMPLETED : stopReason);
    }

    /**
     * Returns why the sweep ended so far.
     *
     * @return the reason, null while it runs
     */
    StopReason stopReason() {
        return stopReason;
    }
}
