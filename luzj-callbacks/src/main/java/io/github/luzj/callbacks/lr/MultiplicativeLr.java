package io.github.luzj.callbacks.lr;

import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * PyTorch's {@code MultiplicativeLR}: at every step after construction, each group's current
 * learning rate is multiplied by {@code lr_lambda(step)}. Chainable: it reads the learning rate
 * the group holds.
 */
public final class MultiplicativeLr extends SpecScheduler<MultiplicativeLr.Spec> {

    private final List<IntToDoubleFunction> lambdas;

    MultiplicativeLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups);
        this.lambdas = perGroup("lr_lambda", "functions", spec.lrLambda());
        initialize();
    }

    @Override
    protected void apply(int epoch) {
        if (epoch == 0) {
            return; // PyTorch's construction step leaves the learning rate as it is
        }
        for (int i = 0; i < lambdas.size(); i++) {
            ParamGroup g = groups().get(i);
            g.setLr(g.lr() * Lambdas.factor(lambdas.get(i), epoch));
        }
    }

    /**
     * The settings of a multiplicative schedule.
     *
     * @param lrLambda {@code lr_lambda}: one factor function of the step, or one per group
     */
    public record Spec(List<IntToDoubleFunction> lrLambda) implements SchedulerSpec {

        /**
         * Checks that there is at least one function.
         *
         * @param lrLambda {@code lr_lambda}: one factor function of the step, or one per group
         */
        public Spec {
            lrLambda = Lambdas.check(lrLambda == null ? null
                    : lrLambda.toArray(new IntToDoubleFunction[0]));
        }

        @Override
        public String kind() {
            return "MultiplicativeLR";
        }

        @Override
        public MultiplicativeLr build(List<ParamGroup> groups) {
            return new MultiplicativeLr(this, groups);
        }
    }
}
