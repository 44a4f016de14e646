package io.github.luzj.metric;

import io.github.luzj.base.Checks;
import java.util.Arrays;

/** The check every accumulator's {@code restore} shares: the right length, whole counts. */
final class Counts {

    private Counts() {}

    /**
     * Checks saved running sums.
     *
     * @param metric the metric's name, for the message
     * @param state the saved sums
     * @param length how many numbers the accumulator saves
     * @param firstCount the index from which every number is a count (whole, {@code >= 0})
     */
    static void check(String metric, double[] state, int length, int firstCount) {
        Checks.check(
                state != null && state.length == length,
                "the saved running sums of %s must be %d numbers, got %s",
                metric,
                length,
                state == null ? "none" : Arrays.toString(state));
        for (int i = 0; i < length; i++) {
            double v = state[i];
            boolean ok = i < firstCount || v >= 0 && v == Math.rint(v) && v < 0x1p53;
            Checks.check(
                    ok, "the saved running sums of %s are not valid: %s", metric,
                    Arrays.toString(state));
        }
    }
}
