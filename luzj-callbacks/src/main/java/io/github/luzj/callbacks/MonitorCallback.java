package io.github.luzj.callbacks;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.base.JsonText;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.EnumSet;
import java.util.OptionalDouble;
import java.util.Set;

/**
 * The shared part of callbacks that watch an epoch metric and act when it improves or stops
 * improving (Keras's {@code MonitorCallback}; early stopping, checkpoints and keep-best use it).
 *
 * <p>It keeps the best value seen and its epoch. At {@link Phase#FIT_BEGIN} both are reset (to
 * the {@linkplain Monitor#baseline() baseline}, if any), so one instance can serve several fits,
 * unless a checkpoint's state was loaded just before, as a resumed fit does. When the monitor
 * names the validation set but the fit has no validation data, the training set's metric is
 * used instead and a warning is logged once per fit.
 *
 * <p>Configuration is immutable: {@link #monitor(String)}, {@link #mode(String)},
 * {@link #minDelta(double)} and {@link #baseline(double)} return a new callback.
 *
 * @param <T> the concrete callback, returned by the configuration methods
 */
public abstract class MonitorCallback<T extends MonitorCallback<T>> implements Callback {

    private final Monitor monitor;
    private final MonitoredMetric metric;
    private Double best;
    private int bestEpoch;
    private boolean stateLoaded;
    /** What {@link #forgetLoadedState} puts back. */
    private Double bestBeforeLoad;
    private int bestEpochBeforeLoad;

    /**
     * Creates the callback.
     *
     * @param monitor what to watch
     */
    protected MonitorCallback(Monitor monitor) {
        this.monitor = Checks.notNull("monitor", monitor, "pass Monitor.of(\"valid_loss\")");
        this.metric = new MonitoredMetric(monitor);
        this.best = monitor.baseline();
    }

    /**
     * Returns a callback like this one, freshly reset, watching as {@code monitor} says.
     *
     * @param monitor the new monitor
     * @return the new callback
     */
    protected abstract T withMonitor(Monitor monitor);

    /**
     * Returns the phases the callback acts at; {@link Phase#FIT_BEGIN} is always added. The
     * monitored metric is an epoch's, so by default the epoch's end.
     *
     * @return the phases
     */
    protected Set<Phase> phases() {
        return EnumSet.of(Phase.EPOCH_END);
    }

    /**
     * Acts at one of {@link #phases()} (and at {@link Phase#FIT_BEGIN}, after the reset).
     *
     * @param phase the phase
     * @param ctx the context
     */
    protected abstract void handle(Phase phase, Context ctx);

    /** Resets the subclass's own state at a fit's beginning; nothing by default. */
    protected void resetState() {}

    /**
     * Adds the subclass's own state to {@code state}.
     *
     * @param state the object {@link #state()} returns
     */
    protected void writeState(JsonObject state) {}

    /**
     * Reads what {@link #writeState} wrote.
     *
     * @param state the saved object
     */
    protected void readState(JsonObject state) {}

    /**
     * Returns what is watched and how.
     *
     * @return the monitor
     */
    public Monitor monitor() {
        return monitor;
    }

    /**
     * Returns a copy watching another metric.
     *
     * @param name luz's name, such as {@code "valid_loss"} or {@code "train_acc"}
     * @return the new callback
     */
    public T monitor(String name) {
        return withMonitor(monitor.withName(name));
    }

    /**
     * Returns a copy with another direction.
     *
     * @param mode {@code "min"}, {@code "max"}, {@code "zero"} or {@code "auto"}
     * @return the new callback
     */
    public T mode(String mode) {
        return withMonitor(monitor.withMode(mode));
    }

    /**
     * Returns a copy that needs an improvement larger than {@code minDelta}.
     *
     * @param minDelta {@code >= 0}
     * @return the new callback
     */
    public T minDelta(double minDelta) {
        return withMonitor(monitor.withMinDelta(minDelta));
    }

    /**
     * Returns a copy that must beat {@code baseline} before any epoch counts as an improvement.
     *
     * @param baseline a finite value
     * @return the new callback
     */
    public T baseline(double baseline) {
        return withMonitor(monitor.withBaseline(baseline));
    }

    @Override
    public final Set<Phase> callOn() {
        Set<Phase> phases = EnumSet.of(Phase.FIT_BEGIN);
        phases.addAll(phases());
        return phases;
    }

    @Override
    public final void on(Phase phase, Context ctx) {
        if (phase == Phase.FIT_BEGIN) {
            if (!stateLoaded) {
                best = monitor.baseline();
                bestEpoch = 0;
                resetState();
            }
            stateLoaded = false;
            metric.reset();
            MonitoredMetric.checkRecorded(ctx, monitor.name(), monitor.metric(), name());
        }
        handle(phase, ctx);
    }

    /**
     * Tells whether {@code value} improves on the best value so far.
     *
     * @param value the new value
     * @return true when it is better by more than the minimum delta
     */
    public boolean isImprovement(double value) {
        return monitor.isImprovement(value, best);
    }

    /**
     * Returns the best value seen in this fit (the baseline before any improvement).
     *
     * @return the best value, empty when there is none yet
     */
    public OptionalDouble best() {
        return best == null ? OptionalDouble.empty() : OptionalDouble.of(best);
    }

    /**
     * Returns the epoch of the best value.
     *
     * @return the epoch, 0 when no epoch has improved yet
     */
    public int bestEpoch() {
        return bestEpoch;
    }

    /**
     * Records {@code value} of {@code epoch} as the best when it is an improvement.
     *
     * @param value the epoch's value
     * @param epoch the epoch
     * @return true when it improved
     */
    protected boolean observe(double value, int epoch) {
        if (!isImprovement(value)) {
            return false;
        }
        best = value;
        bestEpoch = epoch;
        return true;
    }

    /**
     * Returns the name of the metric actually watched in this fit: the monitor's, or its
     * training-set counterpart when there is no validation data.
     *
     * @param ctx the context
     * @return such as {@code "valid_loss"}
     */
    protected String monitoredName(Context ctx) {
        return metric.name(ctx, name());
    }

    /**
     * Returns the watched metric's value at the epoch that just ended.
     *
     * @param ctx the context, at {@link Phase#EPOCH_END} or later
     * @return the value (NaN for a set that recorded no batch this epoch)
     * @throws LuzjException when the metric is not recorded
     */
    protected double monitored(Context ctx) {
        return metric.read(ctx, Phase.EPOCH_END, name());
    }

    @Override
    public JsonElement state() {
        JsonObject o = new JsonObject();
        o.addProperty("monitor", monitor.name());
        if (best != null) {
            o.addProperty("best", best);
        }
        o.addProperty("best_epoch", bestEpoch);
        writeState(o);
        return o;
    }

    @Override
    public void forgetLoadedState() {
        if (stateLoaded) { // loaded for a fit that failed before it began: as before the load
            best = bestBeforeLoad;
            bestEpoch = bestEpochBeforeLoad;
        }
        stateLoaded = false; // the next fit begins with the reset
    }

    @Override
    public void loadState(JsonElement state) {
        JsonObject o = SavedState.object(state, name(), "monitor");
        if (o == null) {
            return;
        }
        String saved = o.get("monitor").getAsString();
        Checks.check(
                saved.equals(monitor.name()),
                "%s state was saved monitoring %s but this callback monitors %s; resume with the"
                        + " callbacks the checkpoint was written with",
                name(),
                saved,
                monitor.name());
        // boxed on both sides: a state written before the first epoch's end has no best, and
        // without a baseline that is null, which a double on one side would unbox
        if (!stateLoaded) {
            bestBeforeLoad = best;
            bestEpochBeforeLoad = bestEpoch;
        }
        best = o.has("best") ? Double.valueOf(o.get("best").getAsDouble()) : monitor.baseline();
        bestEpoch = o.has("best_epoch") ? epoch(o.get("best_epoch"), "best_epoch") : 0;
        readState(o);
        stateLoaded = true;
    }

    /** An epoch (or a count of them) from a saved state, refused when it is no int >= 0. */
    static int epoch(JsonElement el, String name) {
        long v = JsonText.count(el, name);
        if (v > Integer.MAX_VALUE) {
            throw new LuzjException(
                    name + " must be a whole number >= 0 and at most " + Integer.MAX_VALUE + ", got " + v);
        }
        return (int) v;
    }
}
