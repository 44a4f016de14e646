package io.github.luzj.callbacks.lr;

import io.github.luzj.base.LuzjException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/** The {@code lr_lambda} of LambdaLR and MultiplicativeLR: one function, or one per group. */
final class Lambdas {

    private Lambdas() {}

    static List<IntToDoubleFunction> check(IntToDoubleFunction[] fns) {
        io.github.luzj.base.Checks.check(
                fns != null && fns.length > 0,
                "lr_lambda needs one function of the epoch, or one per parameter group; got none");
        Arrays.stream(fns).forEach(f -> Objects.requireNonNull(f, "lr_lambda"));
        return List.of(fns);
    }

    static IntToDoubleFunction[] perGroup(List<IntToDoubleFunction> fns, int groups) {
        if (fns.size() == 1) {
            IntToDoubleFunction[] out = new IntToDoubleFunction[groups];
            Arrays.fill(out, fns.get(0));
            return out;
        }
        io.github.luzj.base.Checks.check(
                fns.size() == groups,
                "lr_lambda has %d functions but the optimizer has %d parameter groups; pass one"
                        + " function or one per group",
                fns.size(),
                groups);
        return fns.toArray(new IntToDoubleFunction[0]);
    }

    /** A factor must leave the learning rate finite and non-negative. */
    static double factor(IntToDoubleFunction fn, int epoch) {
        double f = fn.applyAsDouble(epoch);
        if (!(Double.isFinite(f) && f >= 0)) {
            throw new LuzjException(
                    "lr_lambda must return a finite factor >= 0, got " + f + " at epoch " + epoch);
        }
        return f;
    }
}
