package io.github.luzj.callbacks.lr;

import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.function.IntToDoubleFunction;

/**
 * PyTorch's {@code LambdaLR}: each group's initial learning rate times {@code lr_lambda(step)}.
 * A pure function of the step counter; the functions are not part of the saved state (as in
 * PyTorch), so resume with a scheduler built from the same spec.
 */
public final class LambdaLr extends LambdaScheduler<LambdaLr.Spec> {

    LambdaLr(Spec spec, List<ParamGroup> groups) {
        super(spec, groups, true, (g, f) -> g.initialLr() * f);
    }

    /**
     * The settings of a lambda schedule.
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
            return "LambdaLR";
        }

        @Override
        public LambdaLr build(List<ParamGroup> groups) {
            return new LambdaLr(this, groups);
        }
    }
}
