package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LossSmootherTest {

    private static final double[] LOSSES = {2.30, 2.10, 2.25, 1.90, 1.70, 1.85, 1.20, 1.05, 1.40, 3.0};

    /** The closed form: {@code sum_i (1-b) b^(k-i) x_i / (1 - b^k)}. */
    private static double closedForm(double[] x, double beta, int k) {
        double sum = 0;
        for (int i = 1; i <= k; i++) {
            sum += (1 - beta) * Math.pow(beta, k - i) * x[i - 1];
        }
        return sum / (1 - Math.pow(beta, k));
    }

    @Test
    void matchesTheDebiasedClosedForm() {
        for (double beta : new double[] {0.9, 0.98, 0.5}) {
            double[] s = LossSmoother.smooth(LOSSES, beta);
            for (int k = 1; k <= LOSSES.length; k++) {
                assertThat(s[k - 1])
                        .as("beta %s step %d", beta, k)
                        .isCloseTo(closedForm(LOSSES, beta, k), within(1e-12));
            }
        }
    }

    @Test
    void theFirstValueIsTheFirstLossAndAConstantStaysConstant() {
        double[] s = LossSmoother.smooth(new double[] {0.7, 0.7, 0.7, 0.7}, 0.9);
        for (double v : s) {
            assertThat(v).isCloseTo(0.7, within(1e-15));
        }
        assertThat(LossSmoother.smooth(LOSSES, 0.9)[0]).isCloseTo(2.30, within(1e-15));
    }

    @Test
    void betaZeroReportsTheRawLoss() {
        assertThat(LossSmoother.smooth(LOSSES, 0)).containsExactly(LOSSES);
    }

    @Test
    void aNanPoisonsEveryLaterValue() {
        double[] s = LossSmoother.smooth(new double[] {1, 2, Double.NaN, 1}, 0.9);
        assertThat(s[1]).isFinite();
        assertThat(s[2]).isNaN();
        assertThat(s[3]).isNaN();
    }
}
