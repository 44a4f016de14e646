package io.github.luzj.callbacks;

import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.callbacks.lr.LrScheduler;
import io.github.luzj.callbacks.lr.SchedulerSpec;
import io.github.luzj.record.Records;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Steps a learning-rate schedule during fitting (luz's {@code luz_callback_lr_scheduler}); the
 * schedules come from {@link io.github.luzj.callbacks.lr.LrSchedulers}. At
 * {@link Phase#FIT_BEGIN} it builds the schedule over the live optimizer's parameter groups, so
 * it sees the real groups and, for one-cycle and warmup-stable-decay, takes {@code epochs} and
 * {@code steps_per_epoch} from the fit ({@link Context#stepsPerEpoch()}: optimizer steps, which
 * gradient accumulation makes fewer than batches) when the spec leaves them unset; given values
 * that disagree with the fit are refused when the schedule would run out early, and warned about
 * when it would not finish. At a training-batch phase it steps only after batches that stepped
 * the optimizer; then it calls {@code step()} at its phase, by default
 * {@code "on_epoch_end"} as in luz. A plateau schedule steps on the epoch's mean validation loss,
 * or the training loss when there is no validation data, unless told to
 * {@linkplain #monitor(String, String) monitor} another metric.
 *
 * <pre>{@code
 * FittedModel fitted = Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
 *         .fit(train, 5, valid,
 *              LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01), "on_batch_end"),
 *              LuzCallbacks.lrScheduler(LrSchedulers.reduceOnPlateau().patience(2)));
 * }</pre>
 *
 * <p>The schedule is rebuilt at every fit begin; {@link #state()} / {@link #loadState} carry it
 * through a checkpoint (a state loaded before the fit begins is applied right after the build).
 */
public final class LrSchedulerCallback implements Callback {

    private final SchedulerSpec spec;
    private final Phase stepAt;
    /** What a plateau schedule steps on, or null for luz's default (see {@link #monitored}). */
    private final Monitor monitor;
    private LrScheduler scheduler;
    private JsonObject pendingState;
    /** Between this callback's FIT_BEGIN and FIT_END: a loaded state goes to the live schedule. */
    private boolean inFit;
    /** The steps the running schedule was built for, -1 when open-ended or not built yet. */
    private long plannedSteps = -1;
    /** The steps the checkpoint's schedule was built for, -1 when unknown (older checkpoints). */
    private long pendingPlanned = -1;

    private LrSchedulerCallback(
            SchedulerSpec spec, Phase stepAt, Monitor monitor) {
        Checks.check(spec != null, "the scheduler spec is null; pass one from LrSchedulers");
        Checks.check(stepAt != null, "callOn is null; pass a phase such as on_epoch_end");
        Checks.check(
                stepAt != Phase.FIT_BEGIN && !stepAt.name().startsWith("PREDICT"),
                "callOn must be a phase of fitting after %s, got %s; use on_epoch_end or"
                        + " on_batch_end",
                Phase.FIT_BEGIN.luzName(),
                stepAt.luzName());
        this.spec = spec;
        this.stepAt = stepAt;
        this.monitor = monitor;
    }

    /**
     * A callback that steps {@code spec} at every epoch's end.
     *
     * @param spec the schedule
     * @return the callback
     */
    public static LrSchedulerCallback of(SchedulerSpec spec) {
        return new LrSchedulerCallback(spec, Phase.EPOCH_END, null);
    }

    /**
     * Returns a copy that steps at {@code phase}.
     *
     * @param phase for example {@link Phase#TRAIN_BATCH_END} for per-step schedules
     * @return a new callback
     */
    public LrSchedulerCallback callOn(Phase phase) {
        return new LrSchedulerCallback(spec, phase, monitor);
    }

    /**
     * Returns a copy that steps at the phase with luz's name {@code luzName}.
     *
     * @param luzName for example {@code "on_epoch_end"} or {@code "on_batch_end"}
     * @return a new callback
     */
    public LrSchedulerCallback callOn(String luzName) {
        return callOn(Phase.parse(luzName));
    }

    /**
     * Returns a copy whose plateau schedule monitors {@code metric} of {@code set}.
     *
     * @param set {@link Records#VALID} or {@link Records#TRAIN}
     * @param metric the metric's abbreviation, such as {@code "loss"} or {@code "acc"}
     * @return a new callback
     */
    public LrSchedulerCallback monitor(String set, String metric) {
        return new LrSchedulerCallback(
                spec, stepAt, new Monitor(set, metric, Monitor.Mode.AUTO, 0, null));
    }

    /**
     * Returns the schedule's spec.
     *
     * @return the spec
     */
    public SchedulerSpec spec() {
        return spec;
    }

    /**
     * Returns the phase at which the schedule steps.
     *
     * @return the phase
     */
    public Phase stepPhase() {
        return stepAt;
    }

    /**
     * Returns the live scheduler of the current or last fit.
     *
     * @return the scheduler, or null before the first fit begins
     */
    public LrScheduler scheduler() {
        return scheduler;
    }

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(Phase.FIT_BEGIN, stepAt, Phase.FIT_END);
    }

    @Override
    public void on(Phase phase, Context ctx) {
        if (phase == Phase.FIT_BEGIN) {
            if (monitor != null) {
                MonitoredMetric.checkRecorded(ctx, monitor.name(), monitor.metric(), name());
            }
            SchedulerSpec completed = spec.withFitDefaults(ctx.fitEpochs(), stepsPerEpoch(ctx));
            checkLength(completed, ctx);
            long planned = completed.plannedSteps();
            if (pendingState != null && pendingPlanned >= 0 && planned != pendingPlanned) {
                // the saved step count continues on a curve of another length: neither schedule
                throw new LuzjException(String.format(Locale.ROOT,
                        "the checkpoint's %s schedule was built for %d steps but this fit's is %d;"
                                + " a fixed-length schedule cannot change its length midway, so"
                                + " resume with the epochs it was written with",
                        spec.kind(), pendingPlanned, planned));
            }
            scheduler = completed.build(ctx.optimizer().groups());
            plannedSteps = planned;
            if (pendingState != null) {
                scheduler.loadState(pendingState);
                pendingState = null;
                pendingPlanned = -1;
            }
            inFit = true;
        } else if (phase == Phase.FIT_END) {
            inFit = false;
        }
        if (phase == stepAt && phase != Phase.FIT_BEGIN) {
            if (scheduler == null) {
                // a validation or predict phase fired by evaluate or predict, outside any fit
                throw new LuzjException(
                        name() + " schedules the learning rate during a fit and has none to"
                                + " schedule here (no fit has begun); pass it to fit, not to"
                                + " evaluate or predict");
            }
            if (stepsPerOptimizerStep() && !ctx.optimizerStepped()) {
                // with gradient accumulation, a batch that did not step the optimizer does not
                // step the schedule either: schedules count optimizer steps
                return;
            }
            scheduler.step(() -> monitored(ctx));
        }
    }

    /** How often the schedule steps in one epoch at its phase. */
    private int stepsPerEpoch(Context ctx) {
        if (stepAt.isTrainBatch()) {
            // a phase before the optimizer's step runs at every batch, accumulation or not
            return stepsPerOptimizerStep() ? ctx.stepsPerEpoch() : ctx.trainBatches();
        }
        if (stepAt.name().startsWith("VALID_BATCH")) {
            return Math.max(ctx.validBatches(), 1);
        }
        return 1; // once an epoch
    }

    /**
     * Refuses a schedule that would run out before the fit ends (it would fail mid-fit), and
     * warns loudly about one that would not reach its end (its last learning rates never come).
     */
    private void checkLength(SchedulerSpec completed, Context ctx) {
        long planned = completed.plannedSteps();
        long fitSteps = (long) ctx.fitEpochs() * stepsPerEpoch(ctx);
        if (planned < 0 || planned == fitSteps) {
            return;
        }
        String message = String.format(
                Locale.ROOT,
                "the %s schedule is built for %d steps but this fit takes %d (%d epochs x %d"
                        + " steps at %s); leave epochs and steps_per_epoch unset and the scheduler"
                        + " callback takes them from the fit (note that a validation split"
                        + " leaves fewer training batches than the whole data)",
                spec.kind(), planned, fitSteps, ctx.fitEpochs(), stepsPerEpoch(ctx),
                stepAt.luzName());
        if (planned < fitSteps) {
            throw new LuzjException(message);
        }
        ctx.warn(message + "; the learning rate will not reach the schedule's end");
    }

    /** True when it steps at a training-batch phase that follows the optimizer's step. */
    private boolean stepsPerOptimizerStep() {
        return stepAt.isTrainBatch() && stepAt.ordinal() >= Phase.TRAIN_BATCH_AFTER_STEP.ordinal();
    }

    /**
     * The metric a plateau schedule steps on; luz's default is the validation loss, else the
     * training loss (the schedule's own mode says which way is better).
     */
    private double monitored(Context ctx) {
        if (monitor != null) {
            return MonitoredMetric.read(ctx, monitor.set(), monitor.metric(), stepAt, name());
        }
        String set = ctx.metrics(Records.VALID).containsKey("loss") ? Records.VALID
                : Records.TRAIN;
        return MonitoredMetric.read(ctx, set, "loss", stepAt, name());
    }

    @Override
    public String name() {
        return "LrSchedulerCallback(" + spec.kind() + ")";
    }

    @Override
    public JsonElement state() {
        // never empty: a checkpoint of a fit with a schedule must not resume a fit without it
        JsonObject o = new JsonObject();
        o.addProperty("kind", spec.kind());
        if (scheduler != null || pendingState != null) {
            o.add("scheduler", scheduler != null ? scheduler.state() : pendingState.deepCopy());
            long planned = scheduler != null ? plannedSteps : pendingPlanned;
            if (planned >= 0) {
                o.addProperty("planned_steps", planned);
            }
        }
        return o;
    }

    @Override
    public void loadState(JsonElement state) {
        JsonObject o = SavedState.object(state, name());
        if (o == null || !o.has("scheduler")) {
            return; // nothing saved, or saved before the fit began: nothing scheduled yet
        }
        JsonObject saved = o.getAsJsonObject("scheduler");
        JsonElement planned = o.get("planned_steps");
        pendingPlanned = planned != null && planned.isJsonPrimitive()
                && planned.getAsJsonPrimitive().isNumber() ? planned.getAsLong() : -1;
        if (inFit) {
            scheduler.loadState(saved); // the running fit's schedule takes it now (or refuses it whole)
        } else {
            // the schedule the next fit builds, such as a resumed one's; an earlier fit's
            // schedule, still held, drives another optimizer and must not be moved
            pendingState = saved.deepCopy();
        }
    }

    @Override
    public void forgetLoadedState() {
        pendingState = null;
        pendingPlanned = -1;
        inFit = false; // the fit failed: its FIT_END will not come
    }
}
