package io.github.luzj.callbacks.lr;

import io.github.luzj.LuzjException;
import io.github.luzj.base.Checks;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.IntToDoubleFunction;

/** The {@code lr_lambda} of LambdaLR and MultiplicativeLR: one function, or one per group. */
final class Lambdas {

    private Lambdas() {}

    static List<IntToDoubleFunction> check(IntToDoubleFunction[] fns) {
        Checks.check(
                fns != null && fns.length > 0,
                "lr_lambda needs one function of the epoch, or one per parameter group; got none");
        Checks.check(
                Arrays.stream(fns).allMatch(Objects::nonNull),
                "lr_lambda holds a null function; pass a function of the epoch for every group");
        return List.of(fns);
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
