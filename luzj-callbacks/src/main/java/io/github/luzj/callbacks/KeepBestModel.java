package io.github.luzj.callbacks;

import com.google.gson.JsonObject;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts back the weights of the best epoch when training ends (luz's
 * {@code luz_callback_keep_best_model}; Keras's {@code restore_best_weights}).
 *
 * <p>At every epoch that improves the monitored metric it copies every parameter of the block,
 * BatchNorm's running statistics included, into memory of its own on the training device (one
 * extra copy of the weights; later improvements overwrite it in place). At
 * {@link Phase#FIT_END} it copies them back into the live parameters in place, so the fitted
 * model, its optimizer and any predictor keep working, and frees the copy. The optimizer's
 * state and the records stay those of the last epoch, as in luz.
 *
 * <p>A validation metric is judged on the weights validation ran on, which are not the live ones
 * when another callback swaps its own in for validation (the {@link ExponentialMovingAverage}'s
 * average): so with a {@code valid_} monitor the weights are copied at {@link Phase#VALID_BEGIN},
 * after any such swap, into a second buffer, which becomes the kept copy when the epoch improves
 * (two copies of the weights then, no more copying than one a validated epoch).
 *
 * <p>A checkpoint carries the best value and epoch (the monitor's state) and the copy (in its
 * states file, one more copy of the weights on disk): after a resume an epoch must beat the best
 * of the whole run to be kept, and when the best epoch was trained before the resume its weights
 * come back from the checkpoint. (A checkpoint written by luzj before the states file has no copy;
 * the model then keeps the last epoch's weights and a warning says so.) If a fit fails, the copy
 * is freed with the model or at the next fit's beginning.
 *
 * <pre>{@code
 * KeepBestModel keepBest = LuzCallbacks.keepBestModel().monitor("valid_acc");
 * }</pre>
 */
public final class KeepBestModel extends MonitorCallback<KeepBestModel> {

    /** With {@link EarlyStopping} at an epoch's end, before checkpoints. */
    public static final int WEIGHT = 50;

    private static final Logger LOG = LoggerFactory.getLogger(KeepBestModel.class);

    /** The best epoch's weights. */
    private ParameterCopy kept;
    /** The weights this epoch's validation ran on, taken at its beginning. */
    private ParameterCopy validated;
    private int validatedEpoch = -1;
    /** The best epoch a resumed checkpoint brought, 0 for a fresh fit. */
    private int bestBeforeFit;
    /** The kept copy's bytes from a checkpoint, until the resumed fit begins. */
    private byte[] pendingBytes;

    private KeepBestModel(Monitor monitor) {
        super(monitor);
    }

    /**
     * luz's defaults: monitors {@code valid_loss}, lower is better, no minimum delta.
     *
     * @return the callback
     */
    public static KeepBestModel create() {
        return new KeepBestModel(Monitor.of("valid_loss"));
    }

    @Override
    protected KeepBestModel withMonitor(Monitor monitor) {
        return new KeepBestModel(monitor);
    }

    @Override
    protected Set<Phase> phases() {
        return EnumSet.of(Phase.VALID_BEGIN, Phase.EPOCH_END, Phase.FIT_END);
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    /**
     * Tells whether a copy of the best weights is held.
     *
     * @return true between an improving epoch and the fit's end
     */
    public boolean holdsCopy() {
        return kept != null;
    }

    @Override
    protected void resetState() {
        free();
        pendingBytes = null;
    }

    @Override
    protected void handle(Phase phase, Context ctx) {
        if (phase == Phase.FIT_BEGIN) {
            bestBeforeFit = bestEpoch();
            free(); // a failed fit's copies, when a loaded state skipped the reset
            byte[] saved = pendingBytes;
            pendingBytes = null; // taken up by this fit, whether or not it fits the block
            if (saved != null) {
                kept = ParameterCopy.fromBytes(
                        saved, ctx.block(), ctx.model().getNDManager(), "luzj-keep-best-model");
            }
        } else if (phase == Phase.FIT_END && !holdsCopy() && bestBeforeFit > 0
                && bestEpoch() == bestBeforeFit) {
            LOG.warn(
                    "{}: the best epoch ({}) was trained before the resume and its weights are"
                            + " not in the checkpoint (written by a luzj before the states file);"
                            + " the model keeps the last epoch's weights",
                    name(),
                    bestBeforeFit);
        }
        if (phase == Phase.VALID_BEGIN) {
            if (monitoredName(ctx).startsWith("valid_")) {
                validated = copy(ctx, validated);
                validatedEpoch = ctx.epoch();
            }
        } else if (phase == Phase.EPOCH_END) {
            if (observe(monitored(ctx), ctx.epoch())) {
                if (validatedEpoch == ctx.epoch()) {
                    ParameterCopy previous = kept; // the two buffers change roles
                    kept = validated;
                    validated = previous;
                } else {
                    kept = copy(ctx, kept);
                }
            }
        } else if (phase == Phase.FIT_END && holdsCopy()) {
            kept.writeTo(ctx.block());
            LOG.info(
                    "{} restored the weights of epoch {} ({} = {})",
                    name(),
                    bestEpoch(),
                    monitoredName(ctx),
                    best().orElse(Double.NaN));
            free();
        }
    }

    /** The block's weights now, into {@code into} or, at first use, a new copy. */
    private static ParameterCopy copy(Context ctx, ParameterCopy into) {
        if (into == null) {
            return ParameterCopy.of(ctx.block(), ctx.model().getNDManager(), "luzj-keep-best-model");
        }
        into.copyFrom(ctx.block());
        return into;
    }

    /** The kept copy's bytes, so that a resumed fit can still restore an epoch before it. */
    @Override
    public byte[] stateBytes() {
        if (pendingBytes != null) {
            return pendingBytes.clone(); // loaded, not yet taken up by a fit
        }
        return kept == null ? null : kept.toBytes();
    }

    @Override
    protected void readState(JsonObject state) {
        pendingBytes = null; // a checkpoint without a copy brings none
    }

    @Override
    public void loadStateBytes(byte[] bytes) {
        ParameterCopy.checkBytes(bytes, name());
        pendingBytes = bytes;
    }

    @Override
    public void forgetLoadedState() {
        super.forgetLoadedState();
        pendingBytes = null;
        // a failed fit restores no copy, and one made from a checkpoint that a later check at
        // on_fit_begin refused would stay in the model's memory until the model closes
        free();
    }

    private void free() {
        if (kept != null) {
            kept.close();
            kept = null;
        }
        if (validated != null) {
            validated.close();
            validated = null;
        }
        validatedEpoch = -1;
    }
}
