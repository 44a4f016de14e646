package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuggestionsTest {

    @Test
    void gradientMatchesNumpyOnUnevenSpacing() {
        double[] x = Suggestions.log10(new double[] {1e-3, 2e-3, 5e-3, 1e-2, 3e-2});
        double[] y = {3.0, 2.5, 1.0, 0.8, 2.0};
        // np.gradient(y, np.log10(lr)) with numpy 2.4
        double[] numpy = {
            -1.6609640474436809, -2.5690233233949855, -2.001647862350795, 0.5656011012313207,
            2.5150839291472615
        };
        double[] g = Suggestions.gradient(x, y);
        for (int i = 0; i < g.length; i++) {
            assertThat(g[i]).isCloseTo(numpy[i], within(1e-12));
        }
    }

    @Test
    void gradientIsExactForAParabolaInside() {
        double[] x = {0, 0.5, 1.7, 2.0, 3.5, 4.1};
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = x[i] * x[i];
        }
        double[] g = Suggestions.gradient(x, y);
        for (int i = 1; i < x.length - 1; i++) {
            assertThat(g[i]).isCloseTo(2 * x[i], within(1e-12));
        }
    }

    /** A smooth drop centred at log10(lr) = c: steepest exactly there. */
    private static double drop(double lr, double c) {
        return 2 - Math.tanh(3 * (Math.log10(lr) - c));
    }

    @Test
    void steepestFindsTheCentreOfALogSpacedDrop() {
        double[] lr = new LrSchedule(1e-6, 1, 60, true).all(); // 0.1 decade per step
        double[] loss = new double[lr.length];
        for (int i = 0; i < lr.length; i++) {
            loss[i] = drop(lr[i], -3);
        }
        int i = Suggestions.steepest(lr, loss);
        assertThat(lr[i]).isCloseTo(1e-3, within(1e-3 * 1e-9));
    }

    @Test
    void steepestMeasuresTheSlopeAgainstLog10LrNotTheStepIndex() {
        // linear spacing crowds the steps at high rates: per step the drop looks steepest at
        // the end, per decade it is steepest at 1e-2
        double[] lr = new LrSchedule(1e-3, 0.1, 200, false).all();
        double[] loss = new double[lr.length];
        for (int i = 0; i < lr.length; i++) {
            loss[i] = drop(lr[i], -2);
        }
        int i = Suggestions.steepest(lr, loss);
        assertThat(Math.log10(lr[i])).isCloseTo(-2, within(0.01));
        double[] perIndex = new double[lr.length];
        for (int k = 0; k < lr.length; k++) {
            perIndex[k] = k;
        }
        int byIndex = argmin(Suggestions.gradient(perIndex, loss));
        assertThat(byIndex).isNotEqualTo(i);
    }

    @Test
    void minimumIsTheFirstLowestPoint() {
        assertThat(Suggestions.minimum(new double[] {3, 2, 1, 0.5, 0.9, 0.5, 4})).isEqualTo(3);
    }

    @Test
    void valleyOfAPlateauThenALongDecline() {
        // fastai's valley() in Python gives 48: the decline 20..79 with one plateau point before
        // it is 61 long, start = 79 - 61 = 18, then 18 + int(61/3) + int(61/6) = 48
        List<Double> c = new ArrayList<>();
        for (int k = 0; k < 20; k++) {
            c.add(10.0);
        }
        for (int k = 0; k < 60; k++) {
            c.add(9.0 - 0.1 * k);
        }
        for (int k = 0; k < 20; k++) {
            c.add(3.1 + 0.5 * k);
        }
        assertThat(Suggestions.valley(toArray(c))).isEqualTo(48);
    }

    @Test
    void valleyPrefersTheLongerOfTwoValleys() {
        // a dip of 3 steps, a climb, then a decline of 25 steps; fastai's valley() gives 18
        List<Double> c = new ArrayList<>(List.of(5.0, 4.0, 3.0, 4.0, 5.0, 6.0, 7.0));
        for (int k = 0; k < 25; k++) {
            c.add(8 - 0.25 * k);
        }
        for (int k = 0; k < 5; k++) {
            c.add(2.2 + k);
        }
        assertThat(Suggestions.valley(toArray(c))).isEqualTo(18);
    }

    @Test
    void valleyOfADeclineFromTheFirstPointKeepsFastaiOffByOne() {
        // the decline ends at 5 and is 6 long, so fastai's start is 5 - 6 = -1 and its index
        // -1 + int(6/3) + int(6/6) = 2 (fastai's Python agrees)
        assertThat(Suggestions.valley(new double[] {6, 5, 4, 3, 2, 1, 2})).isEqualTo(2);
        assertThat(Suggestions.valley(new double[] {2, 1})).isZero(); // Python would say -1
        assertThat(Suggestions.valley(new double[] {1})).isZero();
    }

    private static double[] toArray(List<Double> c) {
        return c.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static int argmin(double[] v) {
        int b = 0;
        for (int i = 1; i < v.length; i++) {
            if (v[i] < v[b]) {
                b = i;
            }
        }
        return b;
    }
}
