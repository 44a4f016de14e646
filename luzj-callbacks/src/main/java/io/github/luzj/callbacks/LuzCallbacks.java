package io.github.luzj.callbacks;

import ai.djl.training.loss.Loss;
import io.github.luzj.callback.Phase;
import io.github.luzj.callbacks.lr.SchedulerSpec;
import java.nio.file.Path;

/**
 * Factories for luzj's built-in callbacks, named after luz's {@code luz_callback_*} functions
 * and created with luz's defaults; each callback's own methods change the rest.
 *
 * <pre>{@code
 * var oneCycle = LuzCallbacks.lrScheduler(
 *         LrSchedulers.oneCycle(0.01).epochs(5), "on_batch_end");
 * var stop = LuzCallbacks.earlyStopping("valid_loss", 3);
 * var best = LuzCallbacks.modelCheckpoint("runs/epoch-{epoch:02d}").saveBestOnly(true);
 * }</pre>
 */
public final class LuzCallbacks {

    private LuzCallbacks() {}

    /**
     * luz's {@code luz_callback_lr_scheduler(spec)}: steps {@code spec} at every epoch's end.
     *
     * @param spec the schedule
     * @return the callback
     */
    public static LrSchedulerCallback lrScheduler(SchedulerSpec spec) {
        return LrSchedulerCallback.of(spec);
    }

    /**
     * luz's {@code luz_callback_lr_scheduler(spec, call_on = callOn)}.
     *
     * @param spec the schedule
     * @param callOn luz's name of the phase, such as {@code "on_batch_end"}
     * @return the callback
     */
    public static LrSchedulerCallback lrScheduler(SchedulerSpec spec, String callOn) {
        return LrSchedulerCallback.of(spec).callOn(callOn);
    }

    /**
     * Steps {@code spec} at {@code callOn}.
     *
     * @param spec the schedule
     * @param callOn the phase
     * @return the callback
     */
    public static LrSchedulerCallback lrScheduler(SchedulerSpec spec, Phase callOn) {
        return LrSchedulerCallback.of(spec).callOn(callOn);
    }

    /**
     * luz's {@code luz_callback_early_stopping()}: monitors {@code valid_loss}, patience 0 (stop
     * at the first epoch without improvement).
     *
     * @return the callback
     */
    public static EarlyStopping earlyStopping() {
        return EarlyStopping.create();
    }

    /**
     * luz's {@code luz_callback_early_stopping(monitor, patience = patience)}.
     *
     * @param monitor such as {@code "valid_loss"} or {@code "valid_acc"} (mode auto)
     * @param patience epochs without improvement that stop training, {@code >= 0}
     * @return the callback
     */
    public static EarlyStopping earlyStopping(String monitor, int patience) {
        return EarlyStopping.create().monitor(monitor).patience(patience);
    }

    /**
     * luz's {@code luz_callback_model_checkpoint(path)}: a checkpoint folder every epoch.
     *
     * @param path a folder template such as {@code "runs/epoch-{epoch:02d}-{valid_loss:.4f}"}
     * @return the callback
     */
    public static ModelCheckpoint modelCheckpoint(String path) {
        return ModelCheckpoint.create(path);
    }

    /**
     * luz's {@code luz_callback_model_checkpoint(path)} for a {@link Path}.
     *
     * @param path the folder, which may hold placeholders
     * @return the callback
     */
    public static ModelCheckpoint modelCheckpoint(Path path) {
        return ModelCheckpoint.create(path);
    }

    /**
     * luz's {@code luz_callback_keep_best_model()}: restores the weights of the epoch with the
     * lowest {@code valid_loss} when the fit ends.
     *
     * @return the callback
     */
    public static KeepBestModel keepBestModel() {
        return KeepBestModel.create();
    }

    /**
     * luz's {@code luz_callback_csv_logger(path)}: one CSV row per epoch.
     *
     * @param path the CSV file
     * @return the callback
     */
    public static CsvLogger csvLogger(Path path) {
        return CsvLogger.create(path);
    }

    /**
     * luz's {@code luz_callback_gradient_clip()}: total L2 norm clipped to 1.
     *
     * @return the callback
     */
    public static GradientClipping gradientClip() {
        return GradientClipping.byNorm(1);
    }

    /**
     * luz's {@code luz_callback_gradient_clip(max_norm, norm_type)}.
     *
     * @param maxNorm {@code > 0}
     * @param normType {@code > 0}, {@code Double.POSITIVE_INFINITY} for the largest value
     * @return the callback
     */
    public static GradientClipping gradientClip(double maxNorm, double normType) {
        return GradientClipping.byNorm(maxNorm).normType(normType);
    }

    /**
     * luz's {@code luz_callback_mixup()} with {@code nn_mixup_loss(loss)}: alpha 0.4.
     *
     * @param loss the loss the model was set up with
     * @return the callback
     */
    public static MixUp mixup(Loss loss) {
        return MixUp.create(loss);
    }

    /**
     * luz's {@code luz_callback_mixup()} with the loss the model was set up with.
     *
     * @return the callback
     */
    public static MixUp mixup() {
        return MixUp.create();
    }

    /**
     * luz's {@code luz_callback_auto_resume(path)}; resume with
     * {@code resumeFrom(AutoResume.resumePoint(dir))}.
     *
     * @param dir the folder for the run's state
     * @return the callback
     */
    public static AutoResume autoResume(Path dir) {
        return AutoResume.create(dir);
    }

    /**
     * luz's {@code luz_callback_profile()}: wall time per part of the fit.
     *
     * @return the timer
     */
    public static Timer profile() {
        return Timer.create();
    }

    /**
     * Keras's {@code TerminateOnNaN} (luz has none): stops at a NaN or infinite training loss.
     *
     * @return the callback
     */
    public static TerminateOnNaN terminateOnNaN() {
        return TerminateOnNaN.create();
    }

    /**
     * Lightning's {@code LearningRateMonitor} (luz has none): each group's learning rate and
     * momentum at every epoch's beginning.
     *
     * @return the callback
     */
    public static LrMonitor lrMonitor() {
        return LrMonitor.perEpoch();
    }

    /**
     * Lightning's {@code EMAWeightAveraging}: an exponential moving average of the weights,
     * updated after every optimizer step, that validation runs on and the fitted model ends
     * with ({@link ExponentialMovingAverage}).
     *
     * @param decay in [0, 1), for example 0.999
     * @return the callback
     */
    public static ExponentialMovingAverage ema(double decay) {
        return ExponentialMovingAverage.of(decay);
    }

    /**
     * luz's {@code luz_callback_tfevents}: writes TensorBoard scalars (per-epoch metrics,
     * per-step learning rate) into a new event file in {@code dir} ({@link TensorBoardLogger}).
     *
     * @param dir the log folder, created if missing
     * @return the callback
     */
    public static TensorBoardLogger tensorboard(Path dir) {
        return TensorBoardLogger.of(dir);
    }
}
