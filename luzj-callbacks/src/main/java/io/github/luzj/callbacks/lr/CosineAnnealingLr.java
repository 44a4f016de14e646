package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * PyTorch's {@code CosineAnnealingLR}, in the recursive form PyTorch applies when it is stepped
 * normally: each step scales the distance of the group's current learning rate to
 * {@code eta_min} by the ratio of consecutive cosine values, and past {@code T_max} the cosine
 * continues (the rate climbs back to the initial one over the next {@code T_max} steps). Being
 * chainable, it reads the learning rate the group holds, so other changes to it carry through.
 */
public final class CosineAnnealingLr extends SpecScheduler<CosineAnnealingLr.Spec> {

    CosineAnnealingLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
        initialize();
    }

    @Override
    protected void apply(int epoch) {
        if (epoch == 0) {
            return; // PyTorch's construction step leaves the learning rate as it is
        }
        int tMax = spec().tMax();
        double etaMin = spec().etaMin();
        for (ParamGroup g : groups()) {
            double lr = g.lr();
            double next;
            if (Math.floorMod(epoch - 1 - tMax, 2 * tMax) == 0) {
                // the ratio below is 0/0 at the cosine's trough; PyTorch adds the first step up
                next = lr + (g.initialLr() - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            } else {
                next = (1 + Math.cos(Math.PI * epoch / tMax))
                                / (1 + Math.cos(Math.PI * (epoch - 1) / tMax))
                                * (lr - etaMin)
                        + etaMin;
            }
            g.setLr(next);
        }
    }

    @Override
    protected void applyClosedForm(int epoch) {
        double etaMin = spec().etaMin();
        setEachLr(g -> etaMin
                + (g.initialLr() - etaMin) * (1 + Math.cos(Math.PI * epoch / spec().tMax())) / 2);
    }

    /**
     * The settings of cosine annealing, with PyTorch's argument names.
     *
     * @param tMax {@code T_max}: steps from the initial learning rate down to {@code eta_min}
     * @param etaMin {@code eta_min}: the lowest learning rate, {@code >= 0}
     */
    public record Spec(int tMax, double etaMin) implements SchedulerSpec {

        /**
         * Validates every setting, naming the argument, the value and the valid range.
         *
         * @param tMax {@code T_max}: steps from the initial learning rate down to {@code eta_min}
         * @param etaMin {@code eta_min}: the lowest learning rate, {@code >= 0}
         */
        public Spec {
            Checks.atLeast("T_max", tMax, 1);
            Checks.nonNegative("eta_min", etaMin);
        }

        @Override
        public String kind() {
            return "CosineAnnealingLR";
        }

        @Override
        public CosineAnnealingLr build(List<ParamGroup> groups) {
            return new CosineAnnealingLr(this, groups);
        }

        /**
         * Sets {@code eta_min}.
         *
         * @param value {@code >= 0}, 0 by default
         * @return a new spec
         */
        public Spec etaMin(double value) {
            return new Spec(tMax, value);
        }
    }
}
