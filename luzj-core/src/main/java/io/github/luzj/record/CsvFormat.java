package io.github.luzj.record;

import java.util.Locale;

/**
 * How records' values are written in CSV: readable by R, pandas and a spreadsheet alike. Public
 * so that other writers of numbers a user reads back (checkpoint file names) spell them the same.
 */
public final class CsvFormat {

    private CsvFormat() {}

    /**
     * Formats a number with the fewest digits that read back to the same double ({@code 0.002},
     * not Java 17's {@code 0.0020}; {@code 1e-05}; {@code 3}), {@code NaN}, {@code Inf} or
     * {@code -Inf}.
     *
     * @param v the value
     * @return its text
     */
    public static String number(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "Inf" : "-Inf";
        }
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        for (int digits = 1; digits < 17; digits++) {
            String s = String.format(Locale.ROOT, "%." + digits + "g", v);
            if (Double.parseDouble(s) == v) {
                return s;
            }
        }
        return String.format(Locale.ROOT, "%.17g", v);
    }

    /**
     * Quotes a text field when it holds a comma, quote or line break (RFC 4180).
     *
     * @param s the text
     * @return the field
     */
    static String text(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0
                && s.indexOf('\r') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
