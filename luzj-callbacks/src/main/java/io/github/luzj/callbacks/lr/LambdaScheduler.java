package io.github.luzj.callbacks.lr;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/**
 * What LambdaLR and MultiplicativeLR share: {@code lr_lambda}, one factor function of the step or
 * one per group, applied to each group at every step.
 *
 * @param <S> the spec's type
 */
abstract class LambdaScheduler<S extends LambdaScheduler.LambdaSpec> extends SpecScheduler<S> {

    /** A spec holding {@code lr_lambda}. */
    interface LambdaSpec extends SchedulerSpec {

        /**
         * Returns {@code lr_lambda}.
         *
         * @return one factor function of the step, or one per group
         */
        List<IntToDoubleFunction> lrLambda();
    }

    /** How a group's learning rate follows from its factor at a step. */
    @FunctionalInterface
    interface Update {
        /**
         * Returns the group's new learning rate.
         *
         * @param group the group
         * @param factor {@code lr_lambda(step)}, finite and {@code >= 0}
         * @return the learning rate
         */
        double next(ParamGroup group, double factor);
    }

    private final List<IntToDoubleFunction> lambdas;
    private final boolean writesAtConstruction;
    private final Update update;

    /**
     * @param writesAtConstruction whether the construction step (counter 0) writes the groups,
     *     as LambdaLR's does and MultiplicativeLR's does not
     * @param update the rule from factor to learning rate
     */
    LambdaScheduler(S spec, List<ParamGroup> groups, boolean writesAtConstruction, Update update) {
        super(spec, groups);
        this.lambdas = perGroup("lr_lambda", "functions", spec.lrLambda());
        this.writesAtConstruction = writesAtConstruction;
        this.update = update;
        initialize();
    }

    /** Checks {@code lr_lambda}: at least one function, none null. */
    static List<IntToDoubleFunction> check(List<IntToDoubleFunction> fns) {
        Checks.check(
                fns != null && !fns.isEmpty(),
                "lr_lambda needs one function of the epoch, or one per parameter group; got none");
        Checks.check(
                fns.stream().allMatch(Objects::nonNull),
                "lr_lambda holds a null function; pass a function of the epoch for every group");
        return List.copyOf(fns);
    }

    @Override
    protected final void apply(int epoch) {
        if (epoch == 0 && !writesAtConstruction) {
            return; // PyTorch's construction step leaves the learning rate as it is
        }
        for (int i = 0; i < lambdas.size(); i++) {
            ParamGroup g = groups().get(i);
            g.setLr(update.next(g, factor(lambdas.get(i), epoch)));
        }
    }

    /** A factor must leave the learning rate finite and non-negative. */
    private static double factor(IntToDoubleFunction fn, int epoch) {
        double f = fn.applyAsDouble(epoch);
        if (!(Double.isFinite(f) && f >= 0)) {
            throw new LuzjException(
                    "lr_lambda must return a finite factor >= 0, got " + f + " at epoch " + epoch);
        }
        return f;
    }
}
