package io.github.luzj.callbacks.lr;

import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * PyTorch's {@code MultiplicativeLR}: at every step after construction, each group's current
 * learning rate is multiplied by {@code lr_lambda(step)}. Chainable: it reads the learning rate
 * the group holds.
 */
public final class MultiplicativeLr extends LambdaScheduler<MultiplicativeLr.Spec> {

    MultiplicativeLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups, false, (g, f) -> g.lr() * f);
    }

    /**
     * The settings of a multiplicative schedule.
     *
     * @param lrLambda {@code lr_lambda}: one factor function of the step, or one per group
     */
    public record Spec(List<IntToDoubleFunction> lrLambda) implements LambdaSpec {

        /**
         * Checks that there is at least one function.
         *
         * @param lrLambda {@code lr_lambda}: one factor function of the step, or one per group
         */
        public Spec {
            lrLambda = LambdaScheduler.check(lrLambda);
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
