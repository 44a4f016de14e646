package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.luzj.base.LuzjException;
import java.math.BigDecimal;
import java.math.MathContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LrScheduleTest {

    @ParameterizedTest
    @CsvSource({"1e-7, 0.1, 100", "1e-4, 0.3, 100", "1e-5, 1.0, 100", "0.01, 0.7, 100", "3e-5, 0.7, 37"})
    void logSpacedRatesGrowGeometricallyAndEndExactlyAtEndLr(double start, double end, int steps) {
        double[] lr = new LrSchedule(start, end, steps, true).all();
        assertThat(lr).hasSize(steps);
        double ratio = Math.pow(end / start, 1.0 / steps);
        assertThat(lr[0]).isCloseTo(start * ratio, within(1e-12 * start * ratio));
        for (int k = 1; k < steps; k++) {
            assertThat(lr[k] / lr[k - 1]).isCloseTo(ratio, within(1e-12));
        }
        assertThat(lr[steps - 1]).isEqualTo(end);
    }

    @Test
    void theChaptersMiddleRateIsTheGeometricMean() {
        LrSchedule s = new LrSchedule(1e-4, 0.3, 100, true);
        assertThat(s.lr(50)).isCloseTo(Math.sqrt(1e-4 * 0.3), within(1e-17));
        assertThat(s.lr(25)).isCloseTo(1e-4 * Math.pow(3000, 0.25), within(1e-18));
    }

    @Test
    void thePlainFormulaMissesEndLrWhereTheScheduleDoesNot() {
        // why lr(steps) is special-cased: the formula rounds one ulp off for these bounds
        assertThat(1e-5 * Math.pow(1.0 / 1e-5, 1.0)).isNotEqualTo(1.0);
        assertThat(new LrSchedule(1e-5, 1.0, 100, true).lr(100)).isEqualTo(1.0);
        assertThat(0.01 * Math.pow(0.7 / 0.01, 1.0)).isNotEqualTo(0.7);
        assertThat(new LrSchedule(0.01, 0.7, 100, true).lr(100)).isEqualTo(0.7);
    }

    @ParameterizedTest
    @CsvSource({"1e-7, 0.1, 100", "1e-4, 0.3, 100", "0.001, 1.0, 7"})
    void linearRatesMatchExactArithmeticWithinThreeUlps(double start, double end, int steps) {
        double[] lr = new LrSchedule(start, end, steps, false).all();
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal s = new BigDecimal(start);
        BigDecimal span = new BigDecimal(end).subtract(s);
        for (int k = 1; k <= steps; k++) {
            double exact =
                    s.add(span.multiply(BigDecimal.valueOf(k)).divide(BigDecimal.valueOf(steps), mc))
                            .doubleValue();
            // four roundings (e - s, * k, / steps, + s) stay within 3 ulps of the exact value
            assertThat(lr[k - 1]).as("step %d", k).isCloseTo(exact, within(3 * Math.ulp(exact)));
        }
        assertThat(lr[steps - 1]).isEqualTo(end);
    }

    @Test
    void linearRatesOnABinaryGridAreExact() {
        assertThat(new LrSchedule(0.25, 4.25, 16, false).all())
                .containsExactly(0.5, 0.75, 1.0, 1.25, 1.5, 1.75, 2.0, 2.25, 2.5, 2.75, 3.0, 3.25,
                        3.5, 3.75, 4.0, 4.25);
    }

    @Test
    void rejectsBoundsThatMakeNoSweep() {
        assertThatThrownBy(() -> new LrSchedule(0.1, 0.01, 100, true))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("endLr must be a finite number > startLr")
                .hasMessageContaining("0.01");
        assertThatThrownBy(() -> new LrSchedule(0, 0.1, 100, true))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("startLr must be a finite number > 0, got 0.0");
        assertThatThrownBy(() -> new LrSchedule(1e-7, 0.1, 100, true).lr(0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got 0");
    }

    @Test
    void boundsWhoseRatioOverflowsStillGiveAFiniteRisingCurve() {
        double[] lr = new LrSchedule(1e-310, 0.1, 4, true).all();
        assertThat(java.util.Arrays.stream(lr).allMatch(Double::isFinite)).isTrue();
        assertThat(lr[3]).isEqualTo(0.1);
        for (int k = 1; k < 4; k++) {
            assertThat(lr[k]).isGreaterThan(lr[k - 1]);
        }
        // a quarter of the way in logs: 10^(-310 + 309 / 4)
        assertThat(Math.log10(lr[0])).isCloseTo(-310 + 309 / 4.0, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void boundsTooCloseForDistinctRatesAreRefused() {
        assertThatThrownBy(() -> new LrSchedule(1, 1 + 1e-15, 10, false))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("too close for 10 distinct rates");
        assertThatThrownBy(() -> new LrSchedule(1, 1 + 1e-15, 10, true))
                .isInstanceOf(LuzjException.class);
        assertThat(new LrSchedule(1e-4, 0.3, 100, true).all()).hasSize(100);
    }
}
