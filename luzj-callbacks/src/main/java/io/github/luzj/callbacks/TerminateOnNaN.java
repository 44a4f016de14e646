package io.github.luzj.callbacks;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import io.github.luzj.base.Checks;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Stops training as soon as a training batch's loss is NaN or infinite (Keras's
 * {@code TerminateOnNaN}).
 *
 * <p>It reads the loss after every training batch (one device-to-host read per batch) and, on
 * NaN or infinity, calls {@link Context#abortTraining} with a message naming the epoch, the batch
 * and, when a {@link ModelCheckpoint} passed to {@link #reporting} has written one, the last good
 * checkpoint to resume from. The loop then ends the epoch at once, skips validation and ends the
 * fit normally (unless {@code minEpochs} is not reached yet: the loop ignores stop requests
 * before it). The message is also logged as a warning and kept in {@link #message()}.
 *
 * <pre>{@code
 * ModelCheckpoint ckpt = LuzCallbacks.modelCheckpoint("runs/epoch-{epoch:02d}");
 * TerminateOnNaN nan = LuzCallbacks.terminateOnNaN().reporting(ckpt);
 * }</pre>
 */
public final class TerminateOnNaN implements Callback {


    private final ModelCheckpoint checkpoint;
    private String message;
    private int epoch;
    private int batch;

    private TerminateOnNaN(ModelCheckpoint checkpoint) {
        this.checkpoint = checkpoint;
    }

    /**
     * Stops on a NaN or infinite training loss.
     *
     * @return the callback
     */
    public static TerminateOnNaN create() {
        return new TerminateOnNaN(null);
    }

    /**
     * Returns a copy whose message names the last checkpoint {@code checkpoint} wrote.
     *
     * @param checkpoint a checkpoint callback of the same fit
     * @return the new callback
     */
    public TerminateOnNaN reporting(ModelCheckpoint checkpoint) {
        return new TerminateOnNaN(
                Checks.notNull("checkpoint", checkpoint, "pass the fit's ModelCheckpoint"));
    }

    /**
     * Returns the message of the last stop.
     *
     * @return the message, or null when the current or last fit was not stopped by it
     */
    public String message() {
        return message;
    }

    /**
     * Returns the epoch of the batch whose loss was not finite.
     *
     * @return the epoch, 0 when none
     */
    public int stoppedEpoch() {
        return epoch;
    }

    /**
     * Returns the index (from 0) within its epoch of the batch whose loss was not finite.
     *
     * @return the batch index, -1 when none
     */
    public int stoppedBatch() {
        return message == null ? -1 : batch;
    }

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(Phase.FIT_BEGIN, Phase.TRAIN_BATCH_END);
    }

    @Override
    public void on(Phase phase, Context ctx) {
        if (phase == Phase.FIT_BEGIN) {
            message = null;
            epoch = 0;
            batch = 0;
            return;
        }
        NDArray loss = ctx.loss();
        if (loss == null || message != null) {
            return;
        }
        double v = loss.getDataType() == DataType.FLOAT32
                ? loss.getFloat()
                : loss.toType(DataType.FLOAT64, false).getDouble();
        if (Double.isFinite(v)) {
            return;
        }
        epoch = ctx.epoch();
        batch = ctx.batchIndex();
        message = String.format(
                Locale.ROOT,
                "the training loss is %s at epoch %d, batch %d of %d (step %d); training stops. %s",
                Double.isNaN(v) ? "NaN" : v > 0 ? "Inf" : "-Inf",
                epoch,
                batch + 1,
                ctx.trainBatches(),
                ctx.globalStep(),
                advice());
        ctx.warn(message);
        ctx.abortTraining(message); // even before min epochs: the weights are NaN now
    }

    private String advice() {
        ModelCheckpoint.Saved last = checkpoint == null ? null : checkpoint.lastSaved();
        if (last != null) {
            return "The last good checkpoint is " + last.path() + " (epoch " + last.epoch()
                    + "): resume from it with FitOptions.resumeFrom and a lower learning rate"
                    + " or gradient clipping.";
        }
        if (checkpoint != null) {
            return "No checkpoint was written before; lower the learning rate or clip the"
                    + " gradients and start again.";
        }
        return "Lower the learning rate or clip the gradients; add a ModelCheckpoint and pass it"
                + " to TerminateOnNaN.reporting to name the checkpoint to resume from.";
    }
}
