package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.optim.ParamGroup;
import java.util.List;

/**
 * PyTorch's {@code ExponentialLR}: each group's initial learning rate times {@code gamma^step}.
 * A pure function of the step counter.
 */
public final class ExponentialLr extends LrScheduler {

    private final Spec spec;

    ExponentialLr(Spec spec, List<ParamGroup> groups) {
        super("ExponentialLR", groups);
        this.spec = spec;
        initialize();
    }

    /**
     * Returns the spec this scheduler was built from.
     *
     * @return the spec
     */
    public Spec spec() {
        return spec;
    }

    @Override
    protected void apply(int epoch) {
        for (ParamGroup g : groups()) {
            g.setLr(g.initialLr() * Math.pow(spec.gamma(), epoch));
        }
    }

    /**
     * The settings of an exponential decay.
     *
     * @param gamma {@code gamma}: the factor per step, {@code > 0}
     */
    public record Spec(double gamma) implements SchedulerSpec {

        /**
         * Validates {@code gamma}.
         *
         * @param gamma {@code gamma}: the factor per step, {@code > 0}
         */
        public Spec {
            Checks.positive("gamma", gamma);
        }

        @Override
        public String kind() {
            return "ExponentialLR";
        }

        @Override
        public ExponentialLr build(List<ParamGroup> groups) {
            return new ExponentialLr(this, groups);
        }
    }
}
