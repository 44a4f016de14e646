package io.github.luzj.callbacks.lr;

import static io.github.luzj.callbacks.lr.ScheduleArgs.boxed;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * PyTorch's {@code OneCycleLR}: the learning rate rises from {@code max_lr / div_factor} to
 * {@code max_lr} over the first {@code pct_start} of the steps, then falls to
 * {@code max_lr / div_factor / final_div_factor}; momentum (SGD) or {@code beta1} (Adam) moves the
 * opposite way between {@code max_momentum} and {@code base_momentum}. A pure function of the
 * step counter. The {@code total_steps}-th step (after the cycle's last training step) holds the
 * final values; stepping more than {@code total_steps} times is an error, as in PyTorch.
 */
public final class OneCycleLr extends SpecScheduler<OneCycleLr.Spec> {

    private static final Set<String> STRATEGIES = Set.of("cos", "linear");

    /** Indices into {@link #lrPoints} and {@link #momentumPoints} of a phase's two ends. */
    private record SchedulePhase(
            double endStep, int startLr, int endLr, int startMom, int endMom) {}

    private static final int INITIAL = 0;
    private static final int MAX = 1;
    private static final int MIN = 2;
    private static final int MAX_MOMENTUM = 0;
    private static final int BASE_MOMENTUM = 1;

    private final int totalSteps;
    private final List<SchedulePhase> phases;
    private final double[][] lrPoints;
    private final double[][] momentumPoints;

    OneCycleLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
        this.totalSteps = spec().resolveTotalSteps();
        double t = totalSteps;
        double p = spec().pctStart();
        SchedulePhase rise =
                new SchedulePhase(p * t - 1, INITIAL, MAX, MAX_MOMENTUM, BASE_MOMENTUM);
        this.phases =
                spec().threePhase()
                        ? List.of(
                                rise,
                                new SchedulePhase(
                                        2 * p * t - 2, MAX, INITIAL, BASE_MOMENTUM, MAX_MOMENTUM),
                                new SchedulePhase(t - 1, INITIAL, MIN, MAX_MOMENTUM, MAX_MOMENTUM))
                        : List.of(
                                rise,
                                new SchedulePhase(t - 1, MAX, MIN, BASE_MOMENTUM, MAX_MOMENTUM));
        double start = 0;
        for (int i = 0; i < phases.size(); i++) {
            // PyTorch divides by the phase's length and fails on zero; say why before training.
            if (phases.get(i).endStep() == start) {
                throw new LuzjException(
                        String.format(
                                Locale.ROOT,
                                "one-cycle phase %d would last zero steps with total_steps=%d and"
                                        + " pct_start=%s; change pct_start or total_steps",
                                i + 1,
                                totalSteps,
                                p));
            }
            start = phases.get(i).endStep();
        }
        double[] maxLrs = perGroup("max_lr", spec().maxLr());
        int n = groups.size();
        lrPoints = new double[n][3];
        for (int g = 0; g < n; g++) {
            double initial = maxLrs[g] / spec().divFactor();
            lrPoints[g] = new double[] {initial, maxLrs[g], initial / spec().finalDivFactor()};
        }
        momentumPoints = new double[n][2];
        if (spec().cycleMomentum()) {
            double[] maxMom = perGroup("max_momentum", spec().maxMomentum());
            double[] baseMom = perGroup("base_momentum", spec().baseMomentum());
            for (int g = 0; g < n; g++) {
                momentumPoints[g] = new double[] {maxMom[g], baseMom[g]};
            }
        }
        initialize();
    }

    /**
     * Returns the number of steps the cycle lasts.
     *
     * @return total steps
     */
    public int totalSteps() {
        return totalSteps;
    }

    @Override
    protected void apply(int step) {
        if (step > totalSteps) {
            throw new LuzjException(
                    String.format(
                            Locale.ROOT,
                            "the one-cycle schedule was stepped %d times but total_steps is %d;"
                                    + " stepping past the end is an error as in PyTorch: raise"
                                    + " total_steps (or epochs x steps_per_epoch) to cover every"
                                    + " step",
                            step,
                            totalSteps));
        }
        for (int g = 0; g < groups().size(); g++) {
            double start = 0;
            for (int i = 0; i < phases.size(); i++) {
                SchedulePhase ph = phases.get(i);
                if (step <= ph.endStep() || i == phases.size() - 1) {
                    double pct = (step - start) / (ph.endStep() - start);
                    if (step == totalSteps) {
                        // PyTorch allows this one step past the cycle and extrapolates (a
                        // negative rate when annealing linearly); no training step of the cycle
                        // uses it, so luzj holds the final values instead.
                        pct = Math.min(pct, 1.0);
                    }
                    groups().get(g)
                            .setLr(anneal(lrPoints[g][ph.startLr()], lrPoints[g][ph.endLr()], pct));
                    if (spec().cycleMomentum()) {
                        groups().get(g)
                                .setMomentum(
                                        anneal(
                                                momentumPoints[g][ph.startMom()],
                                                momentumPoints[g][ph.endMom()],
                                                pct));
                    }
                    break;
                }
                start = ph.endStep();
            }
        }
    }

    private double anneal(double start, double end, double pct) {
        if (spec().annealStrategy().equals("cos")) {
            double cosOut = Math.cos(Math.PI * pct) + 1;
            return end + (start - end) / 2.0 * cosOut;
        }
        return (end - start) * pct + start;
    }

    /**
     * The settings of a one-cycle schedule, with PyTorch's argument names and defaults; every
     * wither validates its value. Give {@link #totalSteps(int)}, or {@link #epochs(int)} and
     * {@link #stepsPerEpoch(int)}, or neither: the scheduler callback fills epochs and steps per
     * epoch from the fit, which is the safe choice.
     *
     * @param maxLr {@code max_lr}: one peak learning rate, or one per group
     * @param totalSteps {@code total_steps}, or null to use epochs x steps per epoch
     * @param epochs {@code epochs}, or null
     * @param stepsPerEpoch {@code steps_per_epoch}, or null
     * @param pctStart {@code pct_start}, the share of the steps spent rising, in (0, 1)
     * @param annealStrategy {@code anneal_strategy}: {@code "cos"} or {@code "linear"}
     * @param cycleMomentum {@code cycle_momentum}
     * @param baseMomentum {@code base_momentum}: one value or one per group, in [0, 1)
     * @param maxMomentum {@code max_momentum}: one value or one per group, in [0, 1)
     * @param divFactor {@code div_factor}: the first learning rate is max_lr over this
     * @param finalDivFactor {@code final_div_factor}: the last is the first over this
     * @param threePhase {@code three_phase}: rise, fall back symmetrically, then annihilate
     */
    public record Spec(
            List<Double> maxLr,
            Integer totalSteps,
            Integer epochs,
            Integer stepsPerEpoch,
            double pctStart,
            String annealStrategy,
            boolean cycleMomentum,
            List<Double> baseMomentum,
            List<Double> maxMomentum,
            double divFactor,
            double finalDivFactor,
            boolean threePhase)
            implements FixedLengthSpec<Spec> {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param maxLr {@code max_lr}: one peak learning rate, or one per group
         * @param totalSteps {@code total_steps}, or null to use epochs x steps per epoch
         * @param epochs {@code epochs}, or null
         * @param stepsPerEpoch {@code steps_per_epoch}, or null
         * @param pctStart {@code pct_start}, the share of the steps spent rising, in (0, 1)
         * @param annealStrategy {@code anneal_strategy}: {@code "cos"} or {@code "linear"}
         * @param cycleMomentum {@code cycle_momentum}
         * @param baseMomentum {@code base_momentum}: one value or one per group, in [0, 1)
         * @param maxMomentum {@code max_momentum}: one value or one per group, in [0, 1)
         * @param divFactor {@code div_factor}: the first learning rate is max_lr over this
         * @param finalDivFactor {@code final_div_factor}: the last is the first over this
         * @param threePhase {@code three_phase}: rise, fall back symmetrically, then annihilate
         */
        public Spec {
            maxLr = ScheduleArgs.values("max_lr", maxLr, Checks::positive);
            ScheduleArgs.lengthArgs(totalSteps, epochs, stepsPerEpoch);
            Checks.open01("pct_start", pctStart);
            Checks.oneOf("anneal_strategy", annealStrategy, STRATEGIES);
            baseMomentum = ScheduleArgs.values("base_momentum", baseMomentum, Checks::momentum);
            maxMomentum = ScheduleArgs.values("max_momentum", maxMomentum, Checks::momentum);
            Checks.positive("div_factor", divFactor);
            Checks.positive("final_div_factor", finalDivFactor);
        }

        /**
         * PyTorch's defaults for peak learning rate(s) {@code maxLr}.
         *
         * @param maxLr one value, or one per group
         * @return the spec
         */
        public static Spec of(double... maxLr) {
            return new Spec(boxed(maxLr), null, null, null, 0.3, "cos", true,
                    List.of(0.85), List.of(0.95), 25, 1e4, false);
        }

        @Override
        public String kind() {
            return "OneCycleLR";
        }

        @Override
        public OneCycleLr build(List<ParamGroup> groups) {
            return new OneCycleLr(this, groups);
        }

        /**
         * Returns the cycle's length: {@code total_steps}, else epochs x steps per epoch.
         *
         * @return the number of steps
         * @throws LuzjException when neither is given
         */
        public int resolveTotalSteps() {
            return ScheduleArgs.totalSteps("one_cycle", totalSteps, epochs, stepsPerEpoch);
        }

        /**
         * Sets the peak learning rate(s).
         *
         * @param values one value, or one per group, each {@code > 0}
         * @return a new spec
         */
        public Spec maxLr(double... values) {
            return new Spec(boxed(values), totalSteps, epochs, stepsPerEpoch, pctStart,
                    annealStrategy, cycleMomentum, baseMomentum, maxMomentum, divFactor,
                    finalDivFactor, threePhase);
        }

        /**
         * Sets {@code total_steps}, which takes precedence over epochs x steps per epoch.
         *
         * @param value {@code >= 1}
         * @return a new spec
         */
        public Spec totalSteps(int value) {
            return new Spec(maxLr, value, epochs, stepsPerEpoch, pctStart, annealStrategy,
                    cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor,
                    threePhase);
        }

        /**
         * Sets {@code epochs}.
         *
         * @param value {@code >= 1}
         * @return a new spec
         */
        public Spec epochs(int value) {
            return new Spec(maxLr, totalSteps, value, stepsPerEpoch, pctStart, annealStrategy,
                    cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor,
                    threePhase);
        }

        /**
         * Sets {@code steps_per_epoch}.
         *
         * @param value {@code >= 1}
         * @return a new spec
         */
        public Spec stepsPerEpoch(int value) {
            return new Spec(maxLr, totalSteps, epochs, value, pctStart, annealStrategy,
                    cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor,
                    threePhase);
        }

        /**
         * Sets {@code pct_start}.
         *
         * @param value in (0, 1), 0.3 by default
         * @return a new spec
         */
        public Spec pctStart(double value) {
            return new Spec(maxLr, totalSteps, epochs, stepsPerEpoch, value, annealStrategy,
                    cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor,
                    threePhase);
        }

        /**
         * Sets {@code anneal_strategy}.
         *
         * @param value {@code "cos"} (default) or {@code "linear"}
         * @return a new spec
         */
        public Spec annealStrategy(String value) {
            return new Spec(maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, value,
                    cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor,
                    threePhase);
        }

        /**
         * Turns momentum (or {@code beta1}) cycling on or off.
         *
         * @param value true by default
         * @return a new spec
         */
        public Spec cycleMomentum(boolean value) {
            return new Spec(maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy,
                    value, baseMomentum, maxMomentum, divFactor, finalDivFactor, threePhase);
        }

        /**
         * Sets {@code base_momentum}, the momentum at the learning rate's peak.
         *
         * @param values one value or one per group, in [0, 1), 0.85 by default
         * @return a new spec
         */
        public Spec baseMomentum(double... values) {
            return new Spec(maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy,
                    cycleMomentum, boxed(values), maxMomentum, divFactor, finalDivFactor,
                    threePhase);
        }

        /**
         * Sets {@code max_momentum}, the momentum at the start and the end.
         *
         * @param values one value or one per group, in [0, 1), 0.95 by default
         * @return a new spec
         */
        public Spec maxMomentum(double... values) {
            return new Spec(maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy,
                    cycleMomentum, baseMomentum, boxed(values), divFactor, finalDivFactor,
                    threePhase);
        }

        /**
         * Sets {@code div_factor}.
         *
         * @param value {@code > 0}, 25 by default
         * @return a new spec
         */
        public Spec divFactor(double value) {
            return new Spec(maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy,
                    cycleMomentum, baseMomentum, maxMomentum, value, finalDivFactor, threePhase);
        }

        /**
         * Sets {@code final_div_factor}.
         *
         * @param value {@code > 0}, 1e4 by default
         * @return a new spec
         */
        public Spec finalDivFactor(double value) {
            return new Spec(maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy,
                    cycleMomentum, baseMomentum, maxMomentum, divFactor, value, threePhase);
        }

        /**
         * Turns the three-phase variant on or off.
         *
         * @param value false by default
         * @return a new spec
         */
        public Spec threePhase(boolean value) {
            return new Spec(maxLr, totalSteps, epochs, stepsPerEpoch, pctStart, annealStrategy,
                    cycleMomentum, baseMomentum, maxMomentum, divFactor, finalDivFactor, value);
        }
    }

}
