package io.github.luzj.callbacks.lr;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.ParamGroup;
import java.math.BigDecimal;
import java.util.Collections;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * A live learning-rate scheduler over an optimizer's parameter groups, with the semantics of
 * {@code torch.optim.lr_scheduler}: the value a group holds during training step (or epoch)
 * {@code i} is the one written after the scheduler has been stepped {@code i} times.
 *
 * <p>Construction writes each group's starting values, as PyTorch's constructors do; every
 * {@link #step()} advances the counter ({@link #lastEpoch()}, PyTorch's {@code last_epoch}) and
 * writes the new learning rate (and momentum or {@code beta1} for the schedulers that cycle it).
 * Build one from a {@link SchedulerSpec} (see {@link LrSchedulers}):
 *
 * <pre>{@code
 * LrScheduler s = LrSchedulers.oneCycle(0.01).totalSteps(1000).build(optimizer.groups());
 * for (...) { optimizer.step(); s.step(); }
 * }</pre>
 *
 * <p>{@link #state()} and {@link #loadState} carry everything needed to continue a schedule
 * exactly, including the values the groups held, so a checkpoint need not save them separately.
 */
public abstract class LrScheduler {

    private final String kind;
    private final List<ParamGroup> groups;
    private int lastEpoch = -1;

    /**
     * Creates a scheduler over {@code groups}; the subclass writes the starting values.
     *
     * @param kind PyTorch's class name, such as {@code "OneCycleLR"}
     * @param groups the optimizer's parameter groups
     */
    protected LrScheduler(String kind, List<ParamGroup> groups) {
        Checks.check(
                groups != null && !groups.isEmpty(),
                "%s needs the optimizer's parameter groups, got none; pass optimizer.groups()",
                kind);
        this.kind = kind;
        this.groups = List.copyOf(groups);
    }

    /**
     * Returns PyTorch's name of this scheduler, such as {@code "OneCycleLR"}.
     *
     * @return the kind
     */
    public final String kind() {
        return kind;
    }

    /**
     * Returns the parameter groups this scheduler writes.
     *
     * @return the groups
     */
    public final List<ParamGroup> groups() {
        return groups;
    }

    /**
     * Returns the number of steps taken since construction (PyTorch's {@code last_epoch}): 0 right
     * after construction.
     *
     * @return the step counter
     */
    public final int lastEpoch() {
        return lastEpoch;
    }

    private void checkCounter() {
        if (lastEpoch == Integer.MAX_VALUE) {
            throw new LuzjException(getClass().getSimpleName() + " was stepped "
                    + Integer.MAX_VALUE + " times, the most its step counter holds;"
                    + " build a new scheduler for a longer run");
        }
    }

    /** Advances the schedule by one step and writes the new values into the groups. */
    public void step() {
        checkCounter();
        double[] lrs = lastLr();
        lastEpoch++;
        try {
            apply(lastEpoch);
        } catch (LuzjException e) {
            // as before the step: a rate out of range is the schedule's settings, not the group's
            lastEpoch--;
            for (int i = 0; i < lrs.length; i++) {
                groups.get(i).setLr(lrs[i]);
            }
            throw new LuzjException(kind + "'s step " + (lastEpoch + 1) + " failed: "
                    + e.getMessage() + "; the schedule's factors take the rate out of range"
                    + " (a gamma far above 1, or factors whose quotient overflows)", e);
        }
    }

    /**
     * Advances the schedule by one step, reading the monitored metric only when this scheduler
     * steps on one ({@link #needsMetric()}): the one way the scheduler callback and
     * {@link ScheduleSpecs#simulate} step every kind.
     *
     * @param metric supplies the monitored metric's latest value
     */
    public void step(DoubleSupplier metric) {
        step();
    }

    /**
     * Tells whether this scheduler steps on a metric ({@code ReduceLROnPlateau}).
     *
     * @return false but for plateau schedules
     */
    public boolean needsMetric() {
        return false;
    }

    /**
     * Returns the learning rates the groups hold now (PyTorch's {@code get_last_lr()}).
     *
     * @return one learning rate per group
     */
    public final double[] lastLr() {
        return groups.stream().mapToDouble(ParamGroup::lr).toArray();
    }

    /**
     * Writes the values for counter {@code epoch} into the groups; called after the counter
     * moved.
     *
     * @param epoch the new value of {@link #lastEpoch()}
     */
    protected abstract void apply(int epoch);

    /**
     * Writes the values for counter {@code epoch} from the closed form where one exists (PyTorch's
     * {@code step(epoch)} path, used when {@link SequentialLr} starts a scheduler). Defaults to
     * {@link #apply}.
     *
     * @param epoch the new value of {@link #lastEpoch()}
     */
    protected void applyClosedForm(int epoch) {
        apply(epoch);
    }

    /**
     * Tells whether this schedule moves momentum (SGD) or beta1 (Adam) as well as the learning
     * rate, as one-cycle and cyclic do when their {@code cycle_momentum} is on.
     *
     * @return true when momentum is scheduled
     */
    public final boolean cyclesMomentum() {
        return movesMomentum();
    }

    /**
     * Tells whether this scheduler writes the groups' momentum (SGD) or {@code beta1} (Adam), so
     * that its state carries them.
     *
     * @return true for one-cycle and cyclic schedules that cycle momentum
     */
    protected boolean movesMomentum() {
        return false;
    }

    /**
     * Moves the counter forward by one without writing anything, for schedulers whose step does
     * more than {@link #apply} (plateau, sequential).
     *
     * @return the new counter
     */
    protected final int advance() {
        checkCounter();
        return ++lastEpoch;
    }

    /** Takes the construction step: counter 0 and the starting values, as PyTorch does. */
    protected final void initialize() {
        lastEpoch = 0;
        apply(0);
    }

    /** Restarts at counter 0 from the closed form ({@link SequentialLr} at a milestone). */
    final void restart() {
        lastEpoch = 0;
        applyClosedForm(0);
    }

    /** Moves the counter back by one without writing (PyTorch's "undo" in SequentialLR). */
    final void rewind() {
        lastEpoch--;
    }

    /**
     * Returns everything needed to continue this schedule exactly: the kind, the counter, the
     * values the groups hold, and the subclass's own fields.
     *
     * @return the state as JSON
     */
    public final JsonObject state() {
        JsonObject o = new JsonObject();
        o.addProperty("kind", kind);
        o.addProperty("last_epoch", lastEpoch);
        JsonArray lr = new JsonArray();
        JsonArray momentum = new JsonArray();
        for (ParamGroup g : groups) {
            lr.add(g.lr());
            momentum.add(g.momentum());
        }
        o.add("lr", lr);
        if (movesMomentum()) {
            o.add("momentum", momentum);
        }
        saveExtra(o);
        return o;
    }

    /**
     * Restores a state returned by {@link #state()} of a scheduler built from the same spec over
     * as many groups, and writes the saved values back into the groups.
     *
     * @param state the saved state
     * @throws LuzjException when the state is of another kind or does not fit the groups
     */
    public final void loadState(JsonObject state) {
        Checks.check(state != null, "%s state is null; pass what state() returned", kind);
        JsonObject before = state();
        try {
            read(state);
        } catch (RuntimeException e) {
            read(before); // all or nothing: a state refused halfway leaves this one as it was
            if (e instanceof LuzjException) {
                throw e;
            }
            throw new LuzjException("the saved " + kind + " state is not what state() writes ("
                    + e + "); pass the JSON that state() returned", e);
        }
    }

    private void read(JsonObject state) {
        String savedKind = StateJson.string(state, "kind", kind);
        Checks.check(
                kind.equals(savedKind),
                "the saved scheduler state is of a %s, not of this %s; build the scheduler that"
                        + " was saved",
                savedKind,
                kind);
        double[] lr = StateJson.doubles(state, "lr", kind);
        Checks.check(
                lr.length == groups.size(),
                "the saved %s state has %d parameter groups, the optimizer has %d; resume with"
                        + " the same optimizer groups",
                kind,
                lr.length,
                groups.size());
        double[] momentum = movesMomentum() ? StateJson.doubles(state, "momentum", kind) : null;
        int epoch = StateJson.integer(state, "last_epoch", kind);
        Checks.check(epoch >= -1, "the saved %s state has last_epoch %d, below -1; pass the JSON"
                + " that state() returned", kind, epoch);
        lastEpoch = epoch;
        loadExtra(state);
        for (int i = 0; i < groups.size(); i++) {
            groups.get(i).setLr(lr[i]);
            if (momentum != null) {
                groups.get(i).setMomentum(momentum[i]);
            }
        }
    }

    /**
     * Adds the subclass's own fields to a state being saved.
     *
     * @param state the state so far
     */
    protected void saveExtra(JsonObject state) {}

    /**
     * Restores the subclass's own fields; the counter is already restored.
     *
     * @param state the saved state
     */
    protected void loadExtra(JsonObject state) {}

    /**
     * Returns {@code values} as one value per group: a single value applies to every group.
     *
     * @param name the PyTorch argument's name, for the error message
     * @param values one value, or one per group
     * @return one value per group
     */
    protected final double[] perGroup(String name, List<Double> values) {
        return perGroup(name, "values", values).stream().mapToDouble(Double::doubleValue).toArray();
    }

    /** One of anything per group (values, {@code lr_lambda} functions): one applies to all. */
    final <T> List<T> perGroup(String name, String what, List<T> values) {
        int n = groups.size();
        if (values.size() == 1) {
            return Collections.nCopies(n, values.get(0));
        }
        Checks.check(
                values.size() == n,
                "%s has %d %s but the optimizer has %d parameter groups; pass one or one per group",
                name,
                values.size(),
                what,
                n);
        return values;
    }

    /** Reads and writes the JSON of scheduler states, naming what is missing. */
    static final class StateJson {
        private StateJson() {}

        static JsonElement field(JsonObject o, String name, String kind) {
            JsonElement e = o.get(name);
            Checks.check(
                    e != null && !e.isJsonNull(),
                    "the saved %s state lacks '%s'; pass the JSON that state() returned",
                    kind,
                    name);
            return e;
        }

        static String string(JsonObject o, String name, String kind) {
            JsonElement e = field(o, name, kind);
            Checks.check(e.isJsonPrimitive() && e.getAsJsonPrimitive().isString(),
                    "the saved %s state has '%s' = %s, not a string", kind, name, e);
            return e.getAsString();
        }

        /** A whole number in int range, never Gson's truncation of 2.5 or wrap of 1e12. */
        static int integer(JsonObject o, String name, String kind) {
            JsonElement e = field(o, name, kind);
            try {
                return number(e).intValueExact();
            } catch (ArithmeticException | NumberFormatException ex) {
                throw new LuzjException("the saved " + kind + " state has '" + name + "' = " + e
                        + ", not a whole number that fits an int");
            }
        }

        private static BigDecimal number(JsonElement e) {
            if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
                throw new NumberFormatException(String.valueOf(e));
            }
            return e.getAsBigDecimal();
        }

        /** Reads a double written by {@link #put}, which spells non-finite values as text. */
        static double number(JsonObject o, String name, String kind) {
            JsonElement e = field(o, name, kind);
            Checks.check(e.isJsonPrimitive(), "the saved %s state has '%s' = %s, not a number",
                    kind, name, e);
            if (e.getAsJsonPrimitive().isString()) {
                return switch (e.getAsString()) {
                    case "inf" -> Double.POSITIVE_INFINITY;
                    case "-inf" -> Double.NEGATIVE_INFINITY;
                    case "nan" -> Double.NaN;
                    default -> throw new LuzjException(
                            "the saved " + kind + " state has '" + name + "' = '"
                                    + e.getAsString() + "', not a number");
                };
            }
            return e.getAsDouble();
        }

        /** Stores a double so that infinities survive strict JSON writers. */
        static void put(JsonObject o, String name, double value) {
            if (Double.isNaN(value)) {
                o.addProperty(name, "nan");
            } else if (Double.isInfinite(value)) {
                o.addProperty(name, value > 0 ? "inf" : "-inf");
            } else {
                o.addProperty(name, value);
            }
        }

        static double[] doubles(JsonObject o, String name, String kind) {
            JsonElement e = field(o, name, kind);
            Checks.check(
                    e.isJsonArray(),
                    "the saved %s state has '%s' = %s, not a list",
                    kind,
                    name,
                    e);
            JsonArray a = e.getAsJsonArray();
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) {
                JsonElement v = a.get(i);
                Checks.check(v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber(),
                        "the saved %s state has '%s'[%d] = %s, not a number", kind, name, i, v);
                out[i] = v.getAsDouble();
            }
            return out;
        }
    }
}
