package io.github.luzj.lrfinder;

import io.github.luzj.base.Checks;

/**
 * The rules that turn a sweep's smoothed loss curve into a suggested learning rate, as pure
 * functions of arrays. Each returns an index into the arrays it is given; {@link LrFinderResult}
 * chooses the window they see.
 */
public final class Suggestions {

    private Suggestions() {}

    /**
     * The point where the loss falls fastest against {@code log10(lr)}: the minimum of the
     * derivative estimated as numpy's {@code np.gradient(loss, log10(lr))} does (second-order
     * central differences inside, one-sided at the ends), which is what fastai v1 used. With
     * log-spaced rates this is fastai's {@code np.gradient(losses).argmin()} exactly.
     *
     * @param lr the learning rates, increasing, at least 2
     * @param loss the smoothed losses, finite
     * @return the index of the steepest descent (the first one on ties)
     */
    public static int steepest(double[] lr, double[] loss) {
        double[] g = gradient(log10(lr), loss);
        return argmin(g);
    }

    /**
     * The point of lowest loss; fastai's {@code minimum} suggests a tenth of its rate.
     *
     * @param loss the smoothed losses, at least 1
     * @return the index of the minimum (the first one on ties)
     */
    public static int minimum(double[] loss) {
        Checks.check(loss.length >= 1, "the minimum of an empty loss curve is undefined");
        return argmin(loss);
    }

    /**
     * fastai's {@code valley}: the longest stretch over which the loss keeps falling, found as the
     * longest strictly decreasing subsequence by dynamic programming, then the point
     * {@code int(len/3) + int(len/6)} past its start (about halfway, not two thirds). fastai's
     * bookkeeping is kept as it is, including that the start is taken as {@code end - length}
     * (one before the subsequence's first point) and is noted when the end first moves, so the
     * suggestions agree with fastai's on the same curve. fastai's Python would read index -1 as
     * the last point on a curve of two; here it is clamped to 0.
     *
     * @param loss the smoothed losses, at least 1
     * @return the index of the suggestion
     */
    public static int valley(double[] loss) {
        int n = loss.length;
        Checks.check(n >= 1, "the valley of an empty loss curve is undefined");
        int maxStart = 0;
        int maxEnd = 0;
        int[] lds = new int[n];
        java.util.Arrays.fill(lds, 1);
        for (int i = 1; i < n; i++) {
            for (int j = 0; j < i; j++) {
                if (loss[i] < loss[j] && lds[i] < lds[j] + 1) {
                    lds[i] = lds[j] + 1;
                }
                if (lds[maxEnd] < lds[i]) {
                    maxEnd = i;
                    maxStart = maxEnd - lds[maxEnd];
                }
            }
        }
        double sections = (maxEnd - maxStart) / 3.0;
        int idx = maxStart + (int) sections + (int) (sections / 2);
        return Math.max(0, Math.min(n - 1, idx));
    }

    /**
     * numpy's {@code np.gradient(y, x)} with {@code edge_order=1}: for non-uniform spacing the
     * interior uses {@code (hs^2 y[i+1] + (hd^2 - hs^2) y[i] - hd^2 y[i-1]) / (hs hd (hs + hd))}
     * with {@code hs = x[i] - x[i-1]}, {@code hd = x[i+1] - x[i]}.
     *
     * @param x the coordinates, strictly increasing, at least 2
     * @param y the values
     * @return the derivative at every point
     */
    public static double[] gradient(double[] x, double[] y) {
        int n = y.length;
        Checks.check(
                n >= 2 && x.length == n,
                "a gradient needs at least 2 points and as many coordinates as values, got %d"
                        + " values and %d coordinates",
                n,
                x.length);
        double[] g = new double[n];
        g[0] = (y[1] - y[0]) / (x[1] - x[0]);
        g[n - 1] = (y[n - 1] - y[n - 2]) / (x[n - 1] - x[n - 2]);
        for (int i = 1; i < n - 1; i++) {
            double hs = x[i] - x[i - 1];
            double hd = x[i + 1] - x[i];
            g[i] = (hs * hs * y[i + 1] + (hd * hd - hs * hs) * y[i] - hd * hd * y[i - 1])
                    / (hs * hd * (hd + hs));
        }
        return g;
    }

    static double[] log10(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.log10(v[i]);
        }
        return out;
    }

    private static int argmin(double[] v) {
        int best = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[best]) {
                best = i;
            }
        }
        return best;
    }
}
