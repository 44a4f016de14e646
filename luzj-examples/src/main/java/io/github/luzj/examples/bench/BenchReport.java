package io.github.luzj.examples.bench;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.github.luzj.base.AtomicFiles;
import io.github.luzj.examples.chapter.Summary;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The bench's figures and ratios: {@code bench.json} (each figure's median, its repeats, each
 * ratio with its target and whether it was met) and the table printed at the end.
 */
public final class BenchReport {

    /** How a ratio must stand to its bound. */
    enum Relation {
        AT_LEAST(">="),
        AT_MOST("<="),
        BELOW("<");

        private final String symbol;

        Relation(String symbol) {
            this.symbol = symbol;
        }

        boolean holds(double value, double bound) {
            return switch (this) {
                case AT_LEAST -> value >= bound;
                case AT_MOST -> value <= bound;
                case BELOW -> value < bound;
            };
        }
    }

    /**
     * A bound a ratio should respect.
     *
     * @param relation how the ratio must stand to the bound
     * @param bound the bound
     */
    record Target(Relation relation, double bound) {

        static Target atLeast(double bound) {
            return new Target(Relation.AT_LEAST, bound);
        }

        static Target atMost(double bound) {
            return new Target(Relation.AT_MOST, bound);
        }

        static Target below(double bound) {
            return new Target(Relation.BELOW, bound);
        }

        /** Returns null when the value is unknown (NaN), as with a single epoch's growth. */
        Boolean holds(double value) {
            return Double.isNaN(value) ? null : relation.holds(value, bound);
        }

        @Override
        public String toString() {
            return relation.symbol + " " + fmt(bound);
        }
    }

    private final Summary json = new Summary();
    private final JsonObject targets = new JsonObject();
    private final JsonObject met = new JsonObject();
    private final List<String[]> rows = new ArrayList<>();

    /**
     * Returns the median; the mean of the middle two for an even count.
     *
     * @param values at least one value
     * @return the median, NaN when empty
     */
    static double median(List<Double> values) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        int n = v.length;
        return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
    }

    /** Gives access to the JSON for the settings and machine fields. */
    Summary json() {
        return json;
    }

    /**
     * Adds a measured figure: its median under {@code key}, every repeat under
     * {@code key + "_runs"}, the process CPU seconds of every repeat under
     * {@code key + "_cpu_seconds_runs"} when given, and a table row.
     */
    BenchReport figure(
            String key, String label, String unit, List<Double> runs, List<Double> cpuSeconds) {
        double m = median(runs);
        json.put(key, m).put(key + "_runs", runs);
        if (!cpuSeconds.isEmpty()) {
            json.put(key + "_cpu_seconds_runs", cpuSeconds);
        }
        rows.add(new String[] {label, fmt(m) + " " + unit, "", "", runs.size() + ""});
        return this;
    }

    /** Adds a ratio with its target. */
    BenchReport ratio(String key, String label, double value, Target target) {
        json.put(key, value);
        targets.addProperty(key, target.toString());
        Boolean ok = target.holds(value);
        if (ok == null) {
            met.add(key, JsonNull.INSTANCE);
        } else {
            met.addProperty(key, ok);
        }
        rows.add(
                new String[] {
                    label, fmt(value), target.toString(), ok == null ? "n/a" : ok ? "yes" : "NO", ""
                });
        return this;
    }

    /** Writes bench.json. */
    public void write(Path file) {
        json.put("targets", targets).put("met", met);
        // Summary's writer escapes '<' and '>', which the targets are made of
        String text =
                new GsonBuilder()
                        .setPrettyPrinting()
                        .serializeSpecialFloatingPointValues()
                        .disableHtmlEscaping()
                        .serializeNulls() // an unknown ratio is written as null, not left out
                        .create()
                        .toJson(json.json());
        AtomicFiles.writeString(file, text + "\n");
    }

    /** Returns the table, one figure or ratio a line. */
    public String table() {
        String[] head = {"figure", "median", "target", "met", "repeats"};
        int[] width = new int[head.length];
        List<String[]> all = new ArrayList<>();
        all.add(head);
        all.addAll(rows);
        for (String[] r : all) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : all) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < r.length; i++) {
                String cell = i == 0 ? pad(r[i], width[i]) : padLeft(r[i], width[i]);
                line.append(cell).append(i < r.length - 1 ? "  " : "");
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }

    private static String padLeft(String s, int w) {
        return " ".repeat(w - s.length()) + s;
    }

    /** Four significant digits, plain notation for everyday magnitudes. */
    static String fmt(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e7)) {
            return String.format(Locale.ROOT, "%.3e", v);
        }
        int decimals = a >= 1000 ? 0 : a >= 100 ? 1 : a >= 10 ? 2 : a >= 1 ? 3 : 4;
        return String.format(Locale.ROOT, "%." + decimals + "f", v);
    }
}
