package io.github.luzj.callbacks;

import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.record.Records;
import java.util.List;
import java.util.Map;

/**
 * Looks a {@link Monitor}'s metric up in the context: the one place callbacks read a monitored
 * value (the monitor callbacks and the plateau schedule's callback). A monitor of the validation
 * set reads the training set's metric instead when the fit has no validation data, warning once
 * per fit.
 */
final class MonitoredMetric {

    private final Monitor monitor;
    private boolean warned;

    MonitoredMetric(Monitor monitor) {
        this.monitor = monitor;
    }

    /** Forgets the warning of the last fit. */
    void reset() {
        warned = false;
    }

    /**
     * Refuses, when the fit begins, a metric the fit does not record (a misspelled
     * {@code "valid_los"} was found only at the first epoch's end, after its training).
     *
     * @param ctx the context, at {@link Phase#FIT_BEGIN}
     * @param monitored the monitor's name, such as {@code "valid_loss"}
     * @param metric its metric part, such as {@code "loss"}
     * @param owner the checking callback's name, for the message
     * @throws LuzjException when the fit records no such metric
     */
    static void checkRecorded(Context ctx, String monitored, String metric, String owner) {
        requireRecorded(ctx, metric, owner + " monitors '" + monitored + "'", "monitor");
    }

    /**
     * The one check behind {@link #checkRecorded(Context, String, String, String)} and a path
     * template's placeholders: {@code metric} among {@link Context#metricNames()}.
     *
     * @param ctx the context, at {@link Phase#FIT_BEGIN}
     * @param metric the metric part, such as {@code "acc"}
     * @param problem what names it, for the message
     * @param verb what the user does with the name ("monitor", "name")
     */
    static void requireRecorded(Context ctx, String metric, String problem, String verb) {
        List<String> names = ctx.metricNames();
        if (!names.isEmpty() && !names.contains(metric)) {
            throw new LuzjException(problem + ", but this fit records " + names + " for each set: "
                    + verb + " one of them (train_ or valid_ first), or add the metric to"
                    + " Luz.setup");
        }
    }

    /**
     * Returns the set actually read in this fit.
     *
     * @param ctx the context
     * @param owner the reading callback's name, for the warning
     * @return {@link Records#VALID} or {@link Records#TRAIN}
     */
    String set(Context ctx, String owner) {
        if (Records.VALID.equals(monitor.set()) && ctx.validBatches() == 0) {
            if (!warned) {
                ctx.warn(owner + " monitors " + monitor.name() + " but the fit has no validation"
                        + " data; it monitors train_" + monitor.metric() + " instead (pass valid"
                        + " data or validFraction, or monitor train_" + monitor.metric() + ")");
                warned = true;
            }
            return Records.TRAIN;
        }
        return monitor.set();
    }

    /**
     * Returns the name of the metric actually read, such as {@code "train_loss"}.
     *
     * @param ctx the context
     * @param owner the reading callback's name, for the warning
     * @return {@code set + "_" + metric}
     */
    String name(Context ctx, String owner) {
        return set(ctx, owner) + "_" + monitor.metric();
    }

    /**
     * Returns the monitored metric's latest value, from the set {@link #set} picks.
     *
     * @param ctx the context
     * @param phase the phase reading it, for the message
     * @param owner the reading callback's name, for messages
     * @return the value (NaN for a set that recorded nothing because the fit was stopped)
     * @throws LuzjException when the metric is not recorded, naming those that are
     */
    double read(Context ctx, Phase phase, String owner) {
        return read(ctx, set(ctx, owner), monitor.metric(), phase, owner);
    }

    /**
     * Returns the latest value of {@code metric} of {@code set}.
     *
     * @param ctx the context
     * @param set {@link Records#VALID} or {@link Records#TRAIN}
     * @param metric the metric's abbreviation, such as {@code "loss"}
     * @param phase the phase reading it, for the message
     * @param owner the reading callback's name, for messages
     * @return the value (NaN for a set that recorded nothing because the fit was stopped)
     * @throws LuzjException when the metric is not recorded, naming those that are
     */
    static double read(Context ctx, String set, String metric, Phase phase, String owner) {
        Map<String, Double> values = ctx.metrics(set);
        Double v = values.get(metric);
        if (v != null) {
            return v;
        }
        String problem = owner + " monitors '" + set + "_" + metric + "', which is not recorded at "
                + phase.luzName();
        if (values.isEmpty() && phase != Phase.EPOCH_END) {
            // only schedules read mid-epoch; metrics exist from the first epoch's end
            throw new LuzjException(problem + " (no epoch has ended yet: step it at on_epoch_end)");
        }
        if (values.isEmpty() && ctx.stopRequested()) {
            return Double.NaN; // the epoch was cut short and skipped this set: nothing to judge
        }
        throw new LuzjException(problem + "; the " + set + " set records "
                + (values.isEmpty() ? "nothing this epoch" : values.keySet()
                        + ": monitor one of them or add the metric to Luz.setup"));
    }
}
