package io.github.luzj.record;

import io.github.luzj.base.AtomicFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Writes {@link Records} as CSV, each file atomically:
 *
 * <ul>
 *   <li>{@link #metrics}: luz's {@code get_metrics()} long table, {@code set,metric,epoch,value};
 *   <li>{@link #history}: one row per epoch, {@code epoch,train_loss,train_acc,valid_loss,...};
 *   <li>{@link #steps}: the hyperparameters of every step, {@code step,epoch,group,lr,momentum}.
 * </ul>
 *
 * <p>Numbers use the fewest digits that read back exactly; missing values are {@code NaN} in the
 * long tables and empty cells in the history.
 */
public final class RecordsCsv {

    private static final String NL = "\n";

    private RecordsCsv() {}

    /**
     * Returns luz's {@code get_metrics()} table: one row per set, metric and epoch, in the order
     * recorded.
     *
     * @param records the records
     * @return the CSV text, header first
     */
    public static String metrics(Records records) {
        StringBuilder sb = new StringBuilder("set,metric,epoch,value").append(NL);
        for (Records.Entry e : records.entries()) {
            sb.append(CsvFormat.text(e.set()))
                    .append(',')
                    .append(CsvFormat.text(e.metric()))
                    .append(',')
                    .append(e.epoch())
                    .append(',')
                    .append(CsvFormat.number(e.value()))
                    .append(NL);
        }
        return sb.toString();
    }

    /**
     * Returns the per-epoch history: a column {@code <set>_<metric>} for every set and metric
     * recorded (train's columns, then valid's), one row per epoch recorded. When an epoch holds
     * a metric twice, the later value wins.
     *
     * @param records the records
     * @return the CSV text, header first
     */
    public static String history(Records records) {
        List<String> columns = new ArrayList<>();
        for (String set : orderedSets(records)) {
            for (String metric : records.metrics()) {
                if (!records.entries(set, metric).isEmpty()) {
                    columns.add(set + "_" + metric);
                }
            }
        }
        Map<Integer, Map<String, Double>> rows = new HashMap<>();
        TreeSet<Integer> epochs = new TreeSet<>();
        for (Records.Entry e : records.entries()) {
            epochs.add(e.epoch());
            rows.computeIfAbsent(e.epoch(), k -> new HashMap<>())
                    .put(e.set() + "_" + e.metric(), e.value());
        }
        StringBuilder sb = new StringBuilder("epoch");
        columns.forEach(c -> sb.append(',').append(CsvFormat.text(c)));
        sb.append(NL);
        for (int epoch : epochs) {
            sb.append(epoch);
            Map<String, Double> row = rows.get(epoch);
            for (String c : columns) {
                Double v = row.get(c);
                sb.append(',').append(v == null ? "" : CsvFormat.number(v));
            }
            sb.append(NL);
        }
        return sb.toString();
    }

    /** Train then valid, then any other set in the order first recorded. */
    static List<String> orderedSets(Records records) {
        List<String> sets = new ArrayList<>();
        for (String s : List.of(Records.TRAIN, Records.VALID)) {
            if (records.sets().contains(s)) {
                sets.add(s);
            }
        }
        records.sets().stream().filter(s -> !sets.contains(s)).forEach(sets::add);
        return sets;
    }

    /**
     * Returns the hyperparameters applied at every training step, one row per step and
     * parameter group.
     *
     * @param records the records
     * @return the CSV text, header first
     */
    public static String steps(Records records) {
        StringBuilder sb = new StringBuilder("step,epoch,group,lr,momentum").append(NL);
        for (Records.StepEntry s : records.steps()) {
            sb.append(s.step())
                    .append(',')
                    .append(s.epoch())
                    .append(',')
                    .append(CsvFormat.text(s.group()))
                    .append(',')
                    .append(CsvFormat.number(s.lr()))
                    .append(',')
                    .append(CsvFormat.number(s.momentum()))
                    .append(NL);
        }
        return sb.toString();
    }

    /**
     * Writes {@link #metrics} to {@code target} atomically.
     *
     * @param records the records
     * @param target the CSV file, such as {@code metrics.csv}
     */
    public static void writeMetrics(Records records, Path target) {
        AtomicFiles.writeString(target, metrics(records));
    }

    /**
     * Writes {@link #history} to {@code target} atomically.
     *
     * @param records the records
     * @param target the CSV file, such as {@code history.csv}
     */
    public static void writeHistory(Records records, Path target) {
        AtomicFiles.writeString(target, history(records));
    }

    /**
     * Writes {@link #steps} to {@code target} atomically.
     *
     * @param records the records
     * @param target the CSV file, such as {@code steps.csv}
     */
    public static void writeSteps(Records records, Path target) {
        AtomicFiles.writeString(target, steps(records));
    }
}
