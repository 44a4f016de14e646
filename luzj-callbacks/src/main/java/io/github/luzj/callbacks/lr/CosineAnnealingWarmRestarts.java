package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * PyTorch's {@code CosineAnnealingWarmRestarts} (SGDR): a cosine from each group's initial
 * learning rate down to {@code eta_min} over {@code T_0} steps, then a restart, each period
 * {@code T_mult} times longer than the last. A pure function of the step counter.
 */
public final class CosineAnnealingWarmRestarts
        extends ClosedFormScheduler<CosineAnnealingWarmRestarts.Spec> {

    CosineAnnealingWarmRestarts(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
    }

    @Override
    double lrAt(double initialLr, int step) {
        // PyTorch keeps T_cur and T_i as state and rolls them over at T_i; unrolling from the
        // counter gives the same integers, so the schedule stays a function of the step.
        long tI = spec().t0();
        long tCur;
        if (spec().tMult() == 1) {
            tCur = step % tI;
        } else {
            tCur = step;
            while (tCur >= tI) { // periods grow geometrically: a few turns at most
                tCur -= tI;
                tI *= spec().tMult();
            }
        }
        double etaMin = spec().etaMin();
        return etaMin + (initialLr - etaMin) * (1 + Math.cos(Math.PI * tCur / tI)) / 2;
    }

    /**
     * The settings of SGDR, with PyTorch's argument names.
     *
     * @param t0 {@code T_0}: steps until the first restart, {@code >= 1}
     * @param tMult {@code T_mult}: growth of the period after each restart, {@code >= 1}
     * @param etaMin {@code eta_min}: the lowest learning rate, {@code >= 0}
     */
    public record Spec(int t0, int tMult, double etaMin) implements SchedulerSpec {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param t0 {@code T_0}: steps until the first restart, {@code >= 1}
         * @param tMult {@code T_mult}: growth of the period after each restart, {@code >= 1}
         * @param etaMin {@code eta_min}: the lowest learning rate, {@code >= 0}
         */
        public Spec {
            Checks.atLeast("T_0", t0, 1);
            Checks.atLeast("T_mult", tMult, 1);
            Checks.nonNegative("eta_min", etaMin);
        }

        @Override
        public String kind() {
            return "CosineAnnealingWarmRestarts";
        }

        @Override
        public CosineAnnealingWarmRestarts build(List<ParamGroup> groups) {
            return new CosineAnnealingWarmRestarts(this, groups);
        }

        /**
         * Sets {@code T_mult}.
         *
         * @param value {@code >= 1}, 1 by default
         * @return a new spec
         */
        public Spec tMult(int value) {
            return new Spec(t0, value, etaMin);
        }

        /**
         * Sets {@code eta_min}.
         *
         * @param value {@code >= 0}, 0 by default
         * @return a new spec
         */
        public Spec etaMin(double value) {
            return new Spec(t0, tMult, value);
        }
    }
}
