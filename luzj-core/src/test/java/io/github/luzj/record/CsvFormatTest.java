package io.github.luzj.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

class CsvFormatTest {

    @Test
    void numbersUseTheFewestDigitsThatReadBack() {
        assertThat(CsvFormat.number(0.002)).isEqualTo("0.002");
        assertThat(CsvFormat.number(1.0)).isEqualTo("1");
        assertThat(CsvFormat.number(-3.0)).isEqualTo("-3");
        assertThat(CsvFormat.number(0.1 + 0.2)).isEqualTo("0.30000000000000004");
        assertThat(CsvFormat.number(1e-5)).isEqualTo("1e-05");
        assertThat(CsvFormat.number(Double.NaN)).isEqualTo("NaN");
        assertThat(CsvFormat.number(Double.NEGATIVE_INFINITY)).isEqualTo("-Inf");
    }

    @Test
    void everyDoubleReadsBackExactly() {
        Random rnd = new Random(7);
        for (int i = 0; i < 2000; i++) {
            double v = Double.longBitsToDouble(rnd.nextLong());
            if (Double.isFinite(v)) {
                assertThat(Double.parseDouble(CsvFormat.number(v))).isEqualTo(v);
            }
            double w = rnd.nextDouble() * Math.pow(10, rnd.nextInt(20) - 10);
            assertThat(Double.parseDouble(CsvFormat.number(w))).isEqualTo(w);
        }
    }

    @Test
    void textIsQuotedOnlyWhenNeeded() {
        assertThat(CsvFormat.text("train")).isEqualTo("train");
        assertThat(CsvFormat.text("head, fc")).isEqualTo("\"head, fc\"");
        assertThat(CsvFormat.text("say \"hi\"")).isEqualTo("\"say \"\"hi\"\"\"");
    }
}
