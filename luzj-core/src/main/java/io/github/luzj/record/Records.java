package io.github.luzj.record;

import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What a fit recorded: one value per set, metric and epoch (luz's {@code get_metrics()}), and the
 * hyperparameters the optimizer applied at every training step. Appending is the fit loop's job;
 * callbacks and users read.
 */
public final class Records {

    /** Name of the training set in records. */
    public static final String TRAIN = "train";

    /** Name of the validation set in records. */
    public static final String VALID = "valid";

    /**
     * One metric value at the end of an epoch.
     *
     * @param set {@value #TRAIN} or {@value #VALID}
     * @param metric the metric's abbreviation, such as {@code "loss"} or {@code "acc"}
     * @param epoch the epoch, from 1
     * @param value the value
     */
    public record Entry(String set, String metric, int epoch, double value) {}

    /**
     * The hyperparameters one parameter group used at one training step.
     *
     * @param step the global step, from 1
     * @param epoch the epoch, from 1
     * @param group the parameter group's name
     * @param lr the learning rate applied
     * @param momentum the momentum (SGD) or beta1 (Adam) applied
     */
    public record StepEntry(long step, int epoch, String group, double lr, double momentum) {}

    private final List<Entry> entries = new ArrayList<>();
    private final List<StepEntry> steps = new ArrayList<>();

    /**
     * Appends a metric value.
     *
     * @param set the set
     * @param metric the metric
     * @param epoch the epoch
     * @param value the value
     */
    public void add(String set, String metric, int epoch, double value) {
        entries.add(new Entry(set, metric, epoch, value));
    }

    /**
     * Appends the hyperparameters applied at a step.
     *
     * @param entry the step's entry
     */
    public void addStep(StepEntry entry) {
        steps.add(entry);
    }

    /**
     * Replaces every value, metric and step, with {@code other}'s: a resumed fit's records are its
     * checkpoint's.
     *
     * @param other the records to copy; later changes to either do not reach the other
     */
    public void replaceWith(Records other) {
        if (other == this) {
            return;
        }
        entries.clear();
        entries.addAll(other.entries);
        steps.clear();
        steps.addAll(other.steps);
    }

    /**
     * Returns every metric value, in the order recorded.
     *
     * @return the entries
     */
    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    /**
     * Returns the hyperparameters applied at every step.
     *
     * @return the step entries
     */
    public List<StepEntry> steps() {
        return Collections.unmodifiableList(steps);
    }

    /**
     * Returns one metric's values by epoch.
     *
     * @param set the set
     * @param metric the metric
     * @return the values, index 0 for epoch 1
     * @throws io.github.luzj.base.LuzjException when the set or the metric was never recorded,
     *     listing what was
     */
    public double[] values(String set, String metric) {
        requireRecorded(set, metric);
        return entries.stream()
                .filter(e -> e.set().equals(set) && e.metric().equals(metric))
                .mapToDouble(Entry::value)
                .toArray();
    }

    /**
     * Returns one metric's entries, in the order recorded; unlike {@link #values}, each keeps its
     * epoch, so a metric recorded only on some epochs still lines up.
     *
     * @param set the set
     * @param metric the metric
     * @return the entries, empty when never recorded
     */
    public List<Entry> entries(String set, String metric) {
        return entries.stream()
                .filter(e -> e.set().equals(set) && e.metric().equals(metric))
                .toList();
    }

    /**
     * Returns the set names, in the order first recorded ({@value #TRAIN} before {@value #VALID}
     * in a fit).
     *
     * @return the sets
     */
    public Set<String> sets() {
        Set<String> names = new LinkedHashSet<>();
        entries.forEach(e -> names.add(e.set()));
        return names;
    }

    /**
     * Returns one metric's value at the last recorded epoch.
     *
     * @param set the set
     * @param metric the metric
     * @return the value
     * @throws io.github.luzj.base.LuzjException when the set or the metric was never recorded,
     *     listing what was
     */
    public double last(String set, String metric) {
        double[] v = values(set, metric);
        return v[v.length - 1];
    }

    /**
     * Tells whether {@code metric} was recorded for {@code set} at least once.
     *
     * @param set the set
     * @param metric the metric
     * @return true when {@link #last} has a value to return
     */
    public boolean has(String set, String metric) {
        return entries.stream().anyMatch(e -> e.set().equals(set) && e.metric().equals(metric));
    }

    private void requireRecorded(String set, String metric) {
        if (has(set, metric)) {
            return;
        }
        if (entries.isEmpty()) {
            throw new LuzjException(
                    "nothing is recorded yet, so there is no " + set + " " + metric
                            + "; records fill at the end of each fit epoch");
        }
        String problem = !sets().contains(set)
                ? "no set '" + set + "' was recorded; the sets are " + sets()
                : "no metric '" + metric + "' was recorded for " + set + "; the metrics are "
                        + recordedFor(set);
        throw new LuzjException(
                problem + " (metrics come from Luz.setup's metrics, plus 'loss'; 'valid' needs"
                        + " validation data)");
    }

    private Set<String> recordedFor(String set) {
        Set<String> names = new LinkedHashSet<>();
        entries.stream().filter(e -> e.set().equals(set)).forEach(e -> names.add(e.metric()));
        return names;
    }

    /**
     * Returns the metric names, in the order first recorded.
     *
     * @return the metric abbreviations
     */
    public Set<String> metrics() {
        Set<String> names = new LinkedHashSet<>();
        entries.forEach(e -> names.add(e.metric()));
        return names;
    }

    /**
     * Returns the number of epochs recorded.
     *
     * @return the last epoch, 0 when empty
     */
    public int epochs() {
        return entries.stream().mapToInt(Entry::epoch).max().orElse(0);
    }

    /**
     * Summarizes the records for a log line: each set's metrics at the last epoch.
     *
     * @return such as {@code Records(3 epochs, 15 steps; train: loss=0.41, acc=0.87; valid: ...)}
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("Records(").append(epochs()).append(" epochs, ")
                .append(steps.stream().mapToLong(StepEntry::step).distinct().count())
                .append(" steps");
        for (String set : sets()) {
            b.append("; ").append(set).append(": ");
            String comma = "";
            for (String metric : recordedFor(set)) {
                b.append(comma).append(metric).append('=').append(last(set, metric));
                comma = ", ";
            }
        }
        return b.append(')').toString();
    }
}
