package io.github.luzj.callbacks;

import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops training when a monitored metric stops improving (luz's
 * {@code luz_callback_early_stopping}, Keras's {@code EarlyStopping}).
 *
 * <p>At every epoch's end it compares the metric with the best value so far. An epoch that does
 * not improve by more than {@code minDelta} counts towards {@code patience}; at {@code patience}
 * such epochs in a row it asks the loop to stop ({@link Context#stopTraining}), naming the epoch
 * and the best value. Patience 0 and 1 both stop at the first epoch without improvement, as in
 * Keras; luz's patience 0 instead stops at epoch 2 whatever happens. Stop requests before
 * {@link io.github.luzj.fit.FitOptions.Builder#minEpochs min epochs} are ignored by the loop,
 * and the count goes on, so training stops at the first allowed epoch.
 *
 * <pre>{@code
 * EarlyStopping stop = LuzCallbacks.earlyStopping().monitor("valid_acc").patience(2);
 * }</pre>
 */
public final class EarlyStopping extends MonitorCallback<EarlyStopping> {

    /** Runs after schedulers and loggers at an epoch's end, before checkpoints. */
    public static final int WEIGHT = 50;

    private static final Logger LOG = LoggerFactory.getLogger(EarlyStopping.class);

    private final int patience;
    private int wait;
    private int stoppedEpoch;

    private EarlyStopping(Monitor monitor, int patience) {
        super(monitor);
        this.patience = Checks.atLeast("patience", patience, 0);
    }

    /**
     * luz's defaults: monitors {@code valid_loss} (lower is better), no minimum delta, patience
     * 0.
     *
     * @return the callback
     */
    public static EarlyStopping create() {
        return new EarlyStopping(Monitor.of("valid_loss"), 0);
    }

    /**
     * Returns a copy that tolerates {@code patience} epochs without improvement (stopping at the
     * {@code patience}-th; 0 and 1 stop at the first).
     *
     * @param patience {@code >= 0}
     * @return the new callback
     */
    public EarlyStopping patience(int patience) {
        return new EarlyStopping(monitor(), patience);
    }

    /**
     * Returns the patience.
     *
     * @return the epochs without improvement that stop training
     */
    public int patience() {
        return patience;
    }

    /**
     * Returns the number of epochs in a row without improvement.
     *
     * @return the count
     */
    public int waited() {
        return wait;
    }

    /**
     * Returns the epoch at which this callback stopped training.
     *
     * @return the epoch, 0 when it did not stop the current or last fit
     */
    public int stoppedEpoch() {
        return stoppedEpoch;
    }

    @Override
    protected EarlyStopping withMonitor(Monitor monitor) {
        return new EarlyStopping(monitor, patience);
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    protected void resetState() {
        wait = 0;
        stoppedEpoch = 0;
    }

    @Override
    protected void handle(Phase phase, Context ctx) {
        if (phase != Phase.EPOCH_END) {
            return;
        }
        double value = monitored(ctx);
        if (observe(value, ctx.epoch())) {
            wait = 0;
            return;
        }
        wait++;
        if (wait < Math.max(1, patience)) {
            return;
        }
        String reason = reason(ctx);
        ctx.stopTraining(reason);
        if (ctx.epoch() >= ctx.minEpochs()) {
            stoppedEpoch = ctx.epoch();
            LOG.info(reason);
        }
    }

    private String reason(Context ctx) {
        String best = best().isPresent()
                ? String.format(Locale.ROOT, "%.6g", best().getAsDouble())
                        + (bestEpoch() > 0 ? " (epoch " + bestEpoch() + ")" : " (the baseline)")
                : "any value";
        return String.format(
                Locale.ROOT,
                "Early stopping at epoch %d of %d: %s has not improved on %s by more than %s for"
                        + " %d epoch%s",
                ctx.epoch(),
                ctx.maxEpochs(),
                monitoredName(ctx),
                best,
                Checks.fmt(monitor().minDelta()),
                wait,
                wait == 1 ? "" : "s");
    }

    @Override
    protected void writeState(JsonObject state) {
        state.addProperty("wait", wait);
        state.addProperty("stopped_epoch", stoppedEpoch);
    }

    @Override
    protected void readState(JsonObject state) {
        wait = state.has("wait") ? epoch(state.get("wait"), "wait") : 0;
        stoppedEpoch = state.has("stopped_epoch") ? epoch(state.get("stopped_epoch"), "stopped_epoch") : 0;
    }
}
