package io.github.luzj.lrfinder;

import io.github.luzj.base.Checks;

/**
 * The learning rates of an LR-finder sweep: a pure function of the step. Step {@code k} (from 1
 * to {@code steps}) uses {@code startLr * (endLr / startLr)^(k / steps)} when log-spaced, else
 * {@code startLr + (endLr - startLr) * k / steps}; the last step uses exactly {@code endLr}.
 *
 * <pre>{@code
 * LrSchedule s = new LrSchedule(1e-4, 0.3, 100, true);
 * double last = s.lr(100);   // 0.3, exactly
 * }</pre>
 */
public final class LrSchedule {

    private final double startLr;
    private final double endLr;
    private final int steps;
    private final boolean logSpaced;

    /**
     * Describes a sweep.
     *
     * @param startLr the rate the sweep starts from, finite and {@code > 0}
     * @param endLr the rate of the last step, finite and {@code > startLr}
     * @param steps the number of steps, {@code >= 1}
     * @param logSpaced true for a geometric progression, false for an arithmetic one
     */
    public LrSchedule(double startLr, double endLr, int steps, boolean logSpaced) {
        checkStartLr(startLr);
        Checks.check(
                Double.isFinite(endLr) && endLr > startLr,
                "endLr must be a finite number > startLr (%s), got %s; the chapter uses 0.3",
                startLr,
                endLr);
        Checks.check(
                steps >= 1, "steps must be >= 1, got %d; 100 is the usual sweep", steps);
        // a step of a few ulps at least, so that rounding never repeats a rate: the result
        // requires them rising
        double stepSize = logSpaced
                ? (Math.log(endLr) - Math.log(startLr)) / steps
                : (endLr - startLr) / steps;
        double least = logSpaced ? 8 * Math.ulp(1.0) : 8 * Math.ulp(endLr);
        Checks.check(
                stepSize > least,
                "startLr %s and endLr %s are too close for %d distinct rates; widen the range or"
                        + " take fewer steps",
                startLr,
                endLr,
                steps);
        this.startLr = startLr;
        this.endLr = endLr;
        this.steps = steps;
        this.logSpaced = logSpaced;
    }

    /** Checks a sweep's first rate: finite and {@code > 0}. */
    static double checkStartLr(double startLr) {
        Checks.check(
                Double.isFinite(startLr) && startLr > 0,
                "startLr must be a finite number > 0, got %s; the chapter uses 1e-4",
                startLr);
        return startLr;
    }

    /**
     * Returns the learning rate of step {@code k}.
     *
     * @param k the step, from 1 to {@link #steps()}
     * @return the learning rate
     */
    public double lr(int k) {
        Checks.check(
                k >= 1 && k <= steps, "step must be in [1, %d], got %d", steps, k);
        if (k == steps) {
            return endLr; // the formula's rounding must not leave the last step a hair off endLr
        }
        if (!logSpaced) {
            return startLr + (endLr - startLr) * k / steps;
        }
        double ratio = endLr / startLr;
        // luz's formula; where the ratio overflows (1e-310 to 0.1) the same curve in logs
        return Double.isFinite(ratio)
                ? startLr * Math.pow(ratio, (double) k / steps)
                : Math.exp(Math.log(startLr) + (Math.log(endLr) - Math.log(startLr)) * k / steps);
    }

    /**
     * Returns every step's learning rate.
     *
     * @return {@code lr(1) .. lr(steps)}
     */
    public double[] all() {
        double[] out = new double[steps];
        for (int k = 1; k <= steps; k++) {
            out[k - 1] = lr(k);
        }
        return out;
    }

    /**
     * Returns the number of steps.
     *
     * @return the steps
     */
    public int steps() {
        return steps;
    }

    /**
     * Returns the start rate (the rate of a step 0 that is never taken).
     *
     * @return the start rate
     */
    public double startLr() {
        return startLr;
    }

    /**
     * Returns the last step's rate.
     *
     * @return the end rate
     */
    public double endLr() {
        return endLr;
    }

    /**
     * Tells whether the rates are log-spaced.
     *
     * @return true for a geometric progression
     */
    public boolean logSpaced() {
        return logSpaced;
    }
}
