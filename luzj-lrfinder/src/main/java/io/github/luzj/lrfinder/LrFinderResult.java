package io.github.luzj.lrfinder;

import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/**
 * What an LR-finder sweep recorded: per step the learning rate, the raw training loss and the
 * debiased smoothed loss, with three suggested learning rates.
 *
 * <p>A sweep that met a non-finite loss keeps that step as its last one (its loss is NaN or
 * infinite), so the CSV shows where training broke; suggestions and plots use only the steps
 * before it.
 *
 * <p>Suggestions look at the smoothed loss in fastai's window: the first {@code steps / 10} steps
 * (where the average is still young) and the last 5 finite steps (the blow-up) are left out,
 * unless that leaves fewer than 3 points, when the whole finite curve is used.
 */
public final class LrFinderResult {

    /** The steps fastai leaves out at the end of the curve before suggesting. */
    static final int SKIP_END = 5;

    private final double[] lr;
    private final double[] loss;
    private final double[] smoothed;
    private final int requestedSteps;
    private final StopReason stopReason;

    LrFinderResult(
            double[] lr, double[] loss, double[] smoothed, int requestedSteps,
            StopReason stopReason) {
        Checks.check(
                lr.length == loss.length && lr.length == smoothed.length,
                "lr, loss and smoothed loss must have the same length, got %d, %d and %d",
                lr.length,
                loss.length,
                smoothed.length);
        this.lr = lr.clone();
        this.loss = loss.clone();
        this.smoothed = smoothed.clone();
        this.requestedSteps = requestedSteps;
        this.stopReason = stopReason;
    }

    /**
     * Builds a result from recorded rates and raw losses, smoothing them with {@code beta}: for
     * a sweep run elsewhere or read back from a CSV.
     *
     * @param lr the learning rates, increasing and {@code > 0}
     * @param loss the raw losses, same length
     * @param beta the smoothing weight, in [0, 1)
     * @return the result
     */
    public static LrFinderResult of(double[] lr, double[] loss, double beta) {
        Checks.notNull("lr", lr, "pass the sweep's learning rates");
        Checks.notNull("loss", loss, "pass the sweep's losses");
        Checks.check(
                lr.length == loss.length,
                "lr and loss must have the same length, got %d and %d",
                lr.length,
                loss.length);
        for (int i = 0; i < lr.length; i++) {
            Checks.check(
                    Double.isFinite(lr[i]) && lr[i] > 0 && (i == 0 || lr[i] > lr[i - 1]),
                    "learning rates must be finite, > 0 and increasing; lr[%d] = %s",
                    i,
                    lr[i]);
        }
        double[] smoothed = LossSmoother.smooth(loss, beta);
        boolean finite = Arrays.stream(loss).allMatch(Double::isFinite);
        return new LrFinderResult(
                lr, loss, smoothed, lr.length,
                finite ? StopReason.COMPLETED : StopReason.NON_FINITE_LOSS);
    }

    /**
     * Returns the learning rate of every recorded step.
     *
     * @return a copy of the rates
     */
    public double[] lr() {
        return lr.clone();
    }

    /**
     * Returns the raw training loss of every recorded step.
     *
     * @return a copy of the losses
     */
    public double[] loss() {
        return loss.clone();
    }

    /**
     * Returns the debiased smoothed loss of every recorded step.
     *
     * @return a copy of the smoothed losses
     */
    public double[] smoothedLoss() {
        return smoothed.clone();
    }

    /**
     * Returns the number of recorded steps.
     *
     * @return the steps run, at most {@link #requestedSteps()}
     */
    public int steps() {
        return lr.length;
    }

    /**
     * Returns the number of steps the sweep was asked for.
     *
     * @return the requested steps
     */
    public int requestedSteps() {
        return requestedSteps;
    }

    /**
     * Returns why the sweep ended.
     *
     * @return the reason
     */
    public StopReason stopReason() {
        return stopReason;
    }

    /**
     * Returns the number of leading steps whose raw and smoothed losses are finite: the part of
     * the curve that suggestions and plots use.
     *
     * @return the finite steps
     */
    public int finiteSteps() {
        int n = 0;
        while (n < lr.length && Double.isFinite(loss[n]) && Double.isFinite(smoothed[n])) {
            n++;
        }
        return n;
    }

    /**
     * The rate at the steepest descent of the smoothed loss against {@code log10(lr)}, on the way
     * down to its minimum: past the minimum training has broken, and a dip of the noisy,
     * diverging loss there (which luz's sweep, run to its end, often shows) is no rate to train
     * at. fastai reaches the same by stopping the sweep when the loss diverges.
     *
     * @return the suggestion
     * @throws LuzjException when fewer than 2 finite steps were recorded
     */
    public Suggestion steepest() {
        int[] w = window();
        int lowest = w[0] + Suggestions.minimum(slice(smoothed, w));
        if (lowest - w[0] >= 1) {
            w = new int[] {w[0], lowest + 1};
        }
        int i = w[0] + Suggestions.steepest(slice(lr, w), slice(smoothed, w));
        return new Suggestion("steepest", lr[i], smoothed[i], i);
    }

    /**
     * A tenth of the rate at the minimum of the smoothed loss (fastai's {@code minimum}).
     *
     * @return the suggestion, whose index is the minimum's step
     * @throws LuzjException when fewer than 2 finite steps were recorded
     */
    public Suggestion minimum() {
        int[] w = window();
        int i = w[0] + Suggestions.minimum(slice(smoothed, w));
        double suggested = lr[i] / 10;
        return new Suggestion("minimum/10", suggested, smoothedAt(suggested), i);
    }

    /**
     * The rate in the middle of the longest valley of the smoothed loss (fastai's
     * {@code valley}, its default since 2021).
     *
     * @return the suggestion
     * @throws LuzjException when fewer than 2 finite steps were recorded
     */
    public Suggestion valley() {
        int[] w = window();
        int i = w[0] + Suggestions.valley(slice(smoothed, w));
        return new Suggestion("valley", lr[i], smoothed[i], i);
    }

    /**
     * Returns every suggestion: steepest, minimum/10, valley.
     *
     * @return the suggestions, empty when fewer than 2 finite steps were recorded
     */
    public List<Suggestion> suggestions() {
        if (finiteSteps() < 2) {
            return List.of();
        }
        return List.of(steepest(), minimum(), valley());
    }

    /**
     * Returns the smoothed loss at {@code rate}, interpolated linearly in {@code log10(lr)}
     * between the finite steps around it and held constant beyond the first and last.
     *
     * @param rate a learning rate {@code > 0}
     * @return the smoothed loss there, NaN when no step is finite
     */
    public double smoothedAt(double rate) {
        int n = finiteSteps();
        if (n == 0) {
            return Double.NaN;
        }
        if (rate <= lr[0]) {
            return smoothed[0];
        }
        if (rate >= lr[n - 1]) {
            return smoothed[n - 1];
        }
        int hi = 1;
        while (lr[hi] < rate) {
            hi++;
        }
        double x = Math.log10(rate);
        double x0 = Math.log10(lr[hi - 1]);
        double x1 = Math.log10(lr[hi]);
        double t = (x - x0) / (x1 - x0);
        return smoothed[hi - 1] + t * (smoothed[hi] - smoothed[hi - 1]);
    }

    /**
     * Returns the CSV text {@code lr,loss,smoothed_loss}, one line per step, values in Java's
     * shortest round-trip notation ({@code NaN} and {@code Infinity} for non-finite losses).
     *
     * @return the CSV
     */
    public String toCsv() {
        StringBuilder sb = new StringBuilder("lr,loss,smoothed_loss\n");
        for (int i = 0; i < lr.length; i++) {
            sb.append(lr[i]).append(',').append(loss[i]).append(',').append(smoothed[i])
                    .append('\n');
        }
        return sb.toString();
    }

    /**
     * Writes {@link #toCsv()} to {@code file} atomically.
     *
     * @param file the CSV file
     */
    public void writeCsv(Path file) {
        AtomicFiles.writeString(file, toCsv());
    }

    /** The half-open range of steps the suggestions see: fastai's {@code [steps/10, n-5)}. */
    int[] window() {
        int n = finiteSteps();
        Checks.check(
                n >= 2,
                "the sweep recorded %d finite losses; suggestions need at least 2. Lower startLr"
                        + " or endLr, or check the data for NaN",
                n);
        int from = requestedSteps / 10;
        int to = n - SKIP_END;
        if (to - from < 3) {
            return new int[] {0, n};
        }
        return new int[] {from, to};
    }

    private static double[] slice(double[] v, int[] w) {
        return Arrays.copyOfRange(v, w[0], w[1]);
    }
}
