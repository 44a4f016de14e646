package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LrFinderResultTest {

    /**
     * A typical sweep over 1e-6..1: flat, a drop centred at 1e-3 (steepest there), a minimum at
     * 10^-1.5, then a blow-up. Smoothing is off (beta 0) so that the curve is the one written.
     */
    static LrFinderResult typicalSweep() {
        double[] lr = new LrSchedule(1e-6, 1, 120, true).all();
        double[] loss = new double[lr.length];
        for (int i = 0; i < lr.length; i++) {
            double x = Math.log10(lr[i]);
            loss[i] = 2 - Math.tanh(2 * (x + 3)) + (x > -1.5 ? 8 * (x + 1.5) * (x + 1.5) : 0)
                    + 0.3 * Math.max(0, x + 1.5);
        }
        return LrFinderResult.of(lr, loss, 0);
    }

    @Test
    void suggestionsOnAKnownCurve() {
        LrFinderResult r = typicalSweep();
        assertThat(Math.log10(r.steepest().lr())).isCloseTo(-3, within(1e-9));
        assertThat(r.steepest().loss()).isCloseTo(2, within(1e-9));

        // the minimum lies at the step nearest to where the rising terms take over
        Suggestion min = r.minimum();
        assertThat(Math.log10(r.lr()[min.index()])).isCloseTo(-1.5, within(0.051));
        assertThat(min.lr()).isEqualTo(r.lr()[min.index()] / 10);
        assertThat(min.loss()).isCloseTo(r.smoothedAt(min.lr()), within(1e-12));
        assertThat(min.name()).isEqualTo("minimum/10");

        Suggestion v = r.valley();
        int[] w = r.window();
        double[] window = java.util.Arrays.copyOfRange(r.smoothedLoss(), w[0], w[1]);
        assertThat(v.index()).isEqualTo(w[0] + Suggestions.valley(window));
        assertThat(v.lr()).isBetween(r.lr()[w[0]], min.lr() * 10); // inside the valley
        assertThat(r.suggestions()).extracting(Suggestion::name)
                .containsExactly("steepest", "minimum/10", "valley");
    }

    @Test
    void steepestLooksOnlyAtTheWayDownToTheMinimum() {
        // as the chapter's real sweep: a descent to a minimum at 1e-2, a noisy rise, then a
        // sharper dip of the diverging loss near 5e-2 that must not be suggested
        double[] lr = new LrSchedule(1e-4, 0.3, 100, true).all();
        double[] loss = new double[lr.length];
        for (int i = 0; i < lr.length; i++) {
            double x = Math.log10(lr[i]);
            loss[i] = x < -2 ? 2.4 - 0.6 * (x + 4) : 1.2 + 3 * (x + 2) - (x > -1.3 ? 4 * (x + 1.3) : 0);
        }
        LrFinderResult r = LrFinderResult.of(lr, loss, 0);
        assertThat(r.steepest().lr()).isLessThanOrEqualTo(1e-2 * 1.1);
        int[] w = r.window();
        assertThat(Suggestions.steepest(
                        java.util.Arrays.copyOfRange(lr, w[0], w[1]),
                        java.util.Arrays.copyOfRange(loss, w[0], w[1])))
                .as("over the whole window the dip would win")
                .isGreaterThan(Suggestions.minimum(java.util.Arrays.copyOfRange(loss, w[0], w[1])));
    }

    @Test
    void suggestionsSkipFastaisWindow() {
        // the lowest point sits in the last 5 steps, which fastai leaves out of the suggestions
        double[] lr = new LrSchedule(1e-5, 1e-1, 50, true).all();
        double[] loss = new double[50];
        for (int i = 0; i < 50; i++) {
            loss[i] = 3 - 0.01 * i;
        }
        loss[3] = 0.1; // in the first steps/10, also skipped
        loss[48] = 0.2;
        LrFinderResult r = LrFinderResult.of(lr, loss, 0);
        assertThat(r.window()).containsExactly(5, 45);
        assertThat(r.minimum().index()).isEqualTo(44);
    }

    @Test
    void shortSweepsUseTheWholeCurve() {
        LrFinderResult r =
                LrFinderResult.of(new double[] {1e-4, 1e-3, 1e-2, 1e-1}, new double[] {3, 2, 1, 5}, 0);
        assertThat(r.window()).containsExactly(0, 4);
        assertThat(r.minimum().index()).isEqualTo(2);
        assertThat(r.minimum().lr()).isCloseTo(1e-3, within(1e-18));
    }

    @Test
    void suggestionsIgnoreTheNonFiniteTail() {
        double[] lr = new LrSchedule(1e-5, 1, 30, true).all();
        double[] loss = new double[30];
        for (int i = 0; i < 30; i++) {
            loss[i] = 1 + Math.abs(i - 12) * 0.1;
        }
        loss[25] = Double.NaN;
        LrFinderResult r = LrFinderResult.of(lr, loss, 0.5);
        assertThat(r.stopReason()).isEqualTo(StopReason.NON_FINITE_LOSS);
        assertThat(r.finiteSteps()).isEqualTo(25);
        assertThat(r.window()).containsExactly(3, 20);
        for (Suggestion s : r.suggestions()) {
            assertThat(s.loss()).as(s.name()).isFinite();
            assertThat(s.index()).as(s.name()).isLessThan(20);
        }
    }

    @Test
    void noSuggestionWithoutTwoFiniteSteps() {
        LrFinderResult r =
                LrFinderResult.of(new double[] {1e-3, 1e-2}, new double[] {1, Double.NaN}, 0.9);
        assertThat(r.suggestions()).isEmpty();
        assertThatThrownBy(r::valley)
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("recorded 1 finite losses");
    }

    @Test
    void smoothedAtInterpolatesInLog10Lr() {
        LrFinderResult r =
                LrFinderResult.of(new double[] {1e-4, 1e-2, 1}, new double[] {4, 2, 3}, 0);
        assertThat(r.smoothedAt(1e-3)).isCloseTo(3, within(1e-12));
        assertThat(r.smoothedAt(1e-1)).isCloseTo(2.5, within(1e-12));
        assertThat(r.smoothedAt(1e-6)).isEqualTo(4);
        assertThat(r.smoothedAt(10)).isEqualTo(3);
    }

    @Test
    void csvHasOneRowPerStepAndRoundTrips(@TempDir Path dir) throws IOException {
        double[] lr = {1e-7, 3.3e-5, 0.1};
        double[] loss = {2.302585, 1.5, Double.NaN};
        LrFinderResult r = LrFinderResult.of(lr, loss, 0.9);
        Path csv = dir.resolve("sub/lr_finder.csv");
        r.writeCsv(csv);
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        assertThat(lines).hasSize(4);
        assertThat(lines.get(0)).isEqualTo("lr,loss,smoothed_loss");
        double[] smoothed = r.smoothedLoss();
        for (int i = 0; i < 2; i++) {
            String[] f = lines.get(i + 1).split(",");
            assertThat(Double.parseDouble(f[0])).isEqualTo(lr[i]);
            assertThat(Double.parseDouble(f[1])).isEqualTo(loss[i]);
            assertThat(Double.parseDouble(f[2])).isEqualTo(smoothed[i]);
        }
        assertThat(lines.get(3)).isEqualTo("0.1,NaN,NaN");
        try (Stream<Path> files = Files.list(csv.getParent())) {
            assertThat(files).containsExactly(csv); // no temporary file left behind
        }
    }

    @Test
    void ofRejectsRatesThatDoNotIncrease() {
        assertThatThrownBy(() -> LrFinderResult.of(new double[] {1e-3, 1e-3}, new double[] {1, 1}, 0.9))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("lr[1] = 0.001");
    }

    @Test
    void nullArgumentsAreNamed() {
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : java.util.List.<
                org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> LrFinderResult.of(null, new double[] {1}, 0.9),
                () -> LossSmoother.smooth(null, 0.9),
                () -> LrFinderPlot.defaults().writePng(null, java.nio.file.Path.of("x.png")))) {
            org.assertj.core.api.Assertions.assertThatThrownBy(call)
                    .isExactlyInstanceOf(io.github.luzj.base.LuzjException.class)
                    .hasMessageContaining("is null");
        }
    }
}
