package io.github.luzj.examples.chapter;

import io.github.luzj.record.HistoryPlot;
import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Two runs side by side at equal epochs: their histories as one table, epoch by epoch, and one
 * plot. The chapter sets the two {@code batchnorm} runs (with and without batch normalization,
 * same seed and epochs) so, and schedule-free AdamW beside one-cycle.
 */
final class RunComparison {

    private final Records first;
    private final Records second;
    private final String firstLabel;
    private final String secondLabel;
    private final String secondLegend;

    private RunComparison(
            Records first, Records second, String firstLabel, String secondLabel, String secondLegend) {
        this.first = first;
        this.second = second;
        this.firstLabel = firstLabel;
        this.secondLabel = secondLabel;
        this.secondLegend = secondLegend;
    }

    /**
     * Sets two runs side by side.
     *
     * @param first the first run's history
     * @param firstLabel its name in the table and the plot
     * @param second the second run's history
     * @param secondLabel its name
     * @return the comparison
     */
    static RunComparison of(Records first, String firstLabel, Records second, String secondLabel) {
        return new RunComparison(first, second, firstLabel, secondLabel, secondLabel);
    }

    /**
     * Sets the run with batch normalization beside the run without.
     *
     * @param with the run with batch normalization
     * @param without the run without
     * @return the comparison
     */
    static RunComparison batchNorm(Records with, Records without) {
        return new RunComparison(with, without, "batch norm", "none", "no batch norm");
    }

    /**
     * Writes the plot: one panel a metric, the training and validation curves of both runs.
     *
     * @param target the PNG file
     */
    void writePlot(Path target) {
        Records both = new Records();
        copy(first, firstLabel, both);
        copy(second, secondLegend, both);
        // wider panels than a single run's: four series' legend must fit under each
        HistoryPlot.builder().panelSize(720, 400).build().writePng(both, target);
    }

    private static void copy(Records from, String label, Records to) {
        for (Records.Entry e : from.entries()) {
            to.add(e.set() + ", " + label, e.metric(), e.epoch(), e.value());
        }
    }

    /**
     * Returns the Markdown table: per epoch, validation accuracy and loss and training loss of
     * both runs, and which run leads in validation accuracy.
     *
     * @return the table
     */
    String table() {
        String a = firstLabel;
        String b = secondLabel;
        StringBuilder md =
                new StringBuilder(
                        "| epoch | valid acc, " + a + " | valid acc, " + b + " | valid loss, " + a
                                + " | valid loss, " + b + " | train loss, " + a + " | train loss, "
                                + b + " |\n"
                                + "|---|---|---|---|---|---|---|\n");
        int epochs = Math.min(first.epochs(), second.epochs());
        for (int e = 1; e <= epochs; e++) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %s | %s | %s | %s | %s |%n",
                    e,
                    cell(first, Records.VALID, "acc", e, true, second),
                    cell(second, Records.VALID, "acc", e, true, first),
                    cell(first, Records.VALID, "loss", e, false, second),
                    cell(second, Records.VALID, "loss", e, false, first),
                    cell(first, Records.TRAIN, "loss", e, false, second),
                    cell(second, Records.TRAIN, "loss", e, false, first)));
        }
        return md.toString();
    }

    /** A value, in bold where it is the better of the two runs' at that epoch. */
    private static String cell(Records r, String set, String metric, int epoch, boolean higherIsBetter, Records other) {
        double v = at(r, set, metric, epoch);
        double o = at(other, set, metric, epoch);
        if (Double.isNaN(v)) {
            return "";
        }
        String s = String.format(Locale.ROOT, "%.4f", v);
        boolean better = higherIsBetter ? v > o : v < o;
        return better ? "**" + s + "**" : s;
    }

    private static double at(Records r, String set, String metric, int epoch) {
        return r.entries(set, metric).stream()
                .filter(e -> e.epoch() == epoch)
                .mapToDouble(Records.Entry::value)
                .findFirst()
                .orElse(Double.NaN);
    }
}
