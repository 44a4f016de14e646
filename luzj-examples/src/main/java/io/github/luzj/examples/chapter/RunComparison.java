package io.github.luzj.examples;

import io.github.luzj.LuzjException;
import io.github.luzj.record.HistoryPlot;
import io.github.luzj.record.Records;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The chapter's first experiment side by side: the two {@code batchnorm} runs' histories (with
 * and without batch normalization, same seed and epochs) as one table, epoch by epoch, and one
 * plot, so that the report answers the experiment's question at equal epochs.
 */
final class BatchNormComparison {

    static final String PLOT = "batchnorm-comparison.png";

    private final Records with;
    private final Records without;
    private final String withLabel;
    private final String withoutLabel;
    private final String withoutLegend;

    private BatchNormComparison(
            Records with, Records without, String withLabel, String withoutLabel, String withoutLegend) {
        this.with = with;
        this.without = without;
        this.withLabel = withLabel;
        this.withoutLabel = withoutLabel;
        this.withoutLegend = withoutLegend;
    }

    /**
     * Reads two other runs' histories to set side by side the same way (the chapter's
     * schedule-free run beside one-cycle).
     *
     * @param first the first run's folder
     * @param firstLabel its name in the table and the plot
     * @param second the second run's folder
     * @param secondLabel its name
     * @return the comparison
     * @throws LuzjException if a history is missing or unreadable
     */
    static BatchNormComparison read(Path first, String firstLabel, Path second, String secondLabel) {
        return new BatchNormComparison(
                history(first.resolve("history.csv")), history(second.resolve("history.csv")),
                firstLabel, secondLabel, secondLabel);
    }

    /**
     * Reads the two runs' {@code history.csv} files.
     *
     * @param withFolder the run with batch normalization
     * @param withoutFolder the run without
     * @return the comparison
     * @throws LuzjException if a history is missing or unreadable
     */
    static BatchNormComparison read(Path withFolder, Path withoutFolder) {
        return new BatchNormComparison(
                history(withFolder.resolve("history.csv")), history(withoutFolder.resolve("history.csv")),
                "batch norm", "none", "no batch norm");
    }

    /**
     * Reads a {@code history.csv} written by {@link io.github.luzj.record.RecordsCsv#history}: a
     * column {@code epoch}, then one column {@code <set>_<metric>} a figure.
     */
    static Records history(Path csv) {
        List<String> lines;
        try {
            lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LuzjException("cannot read the training history " + csv + ": " + e.getMessage(), e);
        }
        LuzjException.check(
                lines.size() >= 2 && lines.get(0).startsWith("epoch,"),
                "%s is no training history (a header 'epoch,...' and a row an epoch); rerun the"
                        + " experiment that wrote it",
                csv);
        String[] header = lines.get(0).split(",");
        Records records = new Records();
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.split(",", -1);
            int epoch = Integer.parseInt(cells[0]);
            for (int c = 1; c < header.length && c < cells.length; c++) {
                int cut = header[c].indexOf('_');
                if (cut > 0 && !cells[c].isEmpty()) {
                    records.add(header[c].substring(0, cut), header[c].substring(cut + 1), epoch, Double.parseDouble(cells[c]));
                }
            }
        }
        return records;
    }

    /**
     * Writes the plot: one panel a metric, the training and validation curves of both runs.
     *
     * @param target the PNG file
     */
    void writePlot(Path target) {
        Records both = new Records();
        copy(with, withLabel, both);
        copy(without, withoutLegend, both);
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
        String a = withLabel;
        String b = withoutLabel;
        StringBuilder md =
                new StringBuilder(
                        "| epoch | valid acc, " + a + " | valid acc, " + b + " | valid loss, " + a
                                + " | valid loss, " + b + " | train loss, " + a + " | train loss, "
                                + b + " |\n"
                                + "|---|---|---|---|---|---|---|\n");
        int epochs = Math.min(with.epochs(), without.epochs());
        for (int e = 1; e <= epochs; e++) {
            md.append(String.format(
                    Locale.ROOT,
                    "| %d | %s | %s | %s | %s | %s | %s |%n",
                    e,
                    cell(with, Records.VALID, "acc", e, true, without),
                    cell(without, Records.VALID, "acc", e, true, with),
                    cell(with, Records.VALID, "loss", e, false, without),
                    cell(without, Records.VALID, "loss", e, false, with),
                    cell(with, Records.TRAIN, "loss", e, false, without),
                    cell(without, Records.TRAIN, "loss", e, false, with)));
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
