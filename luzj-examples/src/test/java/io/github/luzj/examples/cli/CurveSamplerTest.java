package io.github.luzj.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CurveSamplerTest {

    @Test
    void tenMillionStepsKeepAtMostTheBoundAndTheirExtremes() {
        int n = 10_000_000;
        CurveSampler s = new CurveSampler(n, 4000);
        for (int i = 0; i < n; i++) {
            double lr = i == 1_234_567 ? 5.0 : i == 7_654_321 ? -1.0 : Math.sin(i * 1e-6);
            s.add(i, lr, 0.9);
        }
        double[] steps = s.steps();
        double[] lr = s.lr();
        assertThat(steps.length).isLessThanOrEqualTo(4000).isGreaterThan(3000);
        assertThat(lr).contains(5.0, -1.0);
        for (int i = 1; i < steps.length; i++) {
            assertThat(steps[i]).isGreaterThanOrEqualTo(steps[i - 1]);
        }
        assertThat(steps[0]).isZero();
        assertThat(s.momentum()).containsOnly(0.9);
    }

    @Test
    void aShortCurveKeepsEveryPoint() {
        CurveSampler s = new CurveSampler(5, 4000);
        for (int i = 0; i < 5; i++) {
            s.add(i, i * 0.1, 0);
        }
        assertThat(s.steps()).containsExactly(0, 1, 2, 3, 4);
        assertThat(s.lr()).containsExactly(0, 0.1, 0.2, 0.30000000000000004, 0.4);
    }
}
