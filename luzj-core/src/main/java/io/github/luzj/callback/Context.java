package io.github.luzj.callback;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.training.loss.Loss;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * Everything a callback may read or change during a fit (luz's {@code ctx}), typed.
 *
 * <p>Batch values ({@link #input()}, {@link #target()}, {@link #pred()}, {@link #loss()}) live in
 * the batch's own {@link NDManager} and are freed when the batch ends: copy what you keep.
 */
public interface Context {

    /**
     * Returns the phase being fired.
     *
     * @return the phase
     */
    Phase phase();

    /**
     * Returns the DJL model that owns the block and its parameters.
     *
     * @return the model
     */
    Model model();

    /**
     * Returns the network.
     *
     * @return the block
     */
    default Block block() {
        return model().getBlock();
    }

    /**
     * Returns the live optimizer, whose parameter groups' hyperparameters may be changed.
     *
     * @return the optimizer
     */
    LuzOptimizer optimizer();

    /**
     * Returns the device training runs on.
     *
     * @return the device
     */
    Device device();

    /**
     * Returns the current epoch, from 1; it continues across fits of the same model.
     *
     * @return the epoch
     */
    int epoch();

    /**
     * Returns the last epoch this fit will run unless stopped.
     *
     * @return the maximum epoch
     */
    int maxEpochs();

    /**
     * Returns the epoch before which stop requests are ignored.
     *
     * @return the minimum epoch
     */
    int minEpochs();

    /**
     * Returns the batch's index within the current epoch and set, from 0.
     *
     * @return the batch index
     */
    int batchIndex();

    /**
     * Returns the number of optimizer steps taken so far in all fits of this model.
     *
     * @return the global step
     */
    long globalStep();

    /**
     * Returns the number of training batches per epoch.
     *
     * @return the training batch count
     */
    int trainBatches();

    /**
     * Returns the number of optimizer steps in one training epoch: what a per-step schedule's
     * {@code steps_per_epoch} must be. It equals {@link #trainBatches()} unless batches are
     * accumulated into fewer steps.
     *
     * @return the optimizer steps per training epoch
     */
    default int stepsPerEpoch() {
        return trainBatches();
    }

    /**
     * Returns the number of epochs this fit was asked to run: a schedule's {@code epochs}. A
     * resumed fit counts the whole run it resumes, as it was first asked.
     *
     * @return the fit's epochs
     */
    default int fitEpochs() {
        return maxEpochs();
    }

    /**
     * Warns the user about something that needs their attention (a monitored metric that does
     * not exist, a schedule that does not fit the data). The warning goes to SLF4J, and a verbose
     * fit also prints it with its progress when the application has no SLF4J provider, so that
     * it is never lost.
     *
     * @param message the warning, naming the problem and the fix
     */
    default void warn(String message) {
        LoggerFactory.getLogger(Context.class).warn(message);
    }

    /**
     * Returns the names every set's metrics have at an epoch's end ({@link #metrics}):
     * {@code "loss"}, then the abbreviations of the metrics given to {@code Luz.setup}. Known
     * from the fit's beginning, so that a callback watching a metric can refuse a misspelled
     * name before the first epoch rather than after it.
     *
     * @return the names, {@code "loss"} first; empty when the context does not know them
     */
    default List<String> metricNames() {
        return List.of();
    }

    /**
     * Tells whether the current training batch steps the optimizer: always true but with
     * gradient accumulation, where only every k-th batch (and an epoch's last) does.
     *
     * @return true when this batch's gradients are applied at its end
     */
    default boolean optimizerStepped() {
        return true;
    }

    /**
     * Returns the number of validation batches per epoch, 0 when there is no validation data.
     *
     * @return the validation batch count
     */
    int validBatches();

    /**
     * Tells whether the current batch is a training batch.
     *
     * @return true in the training half of an epoch
     */
    boolean training();

    /**
     * Returns the current batch's features.
     *
     * @return the input, or null outside a batch
     */
    NDList input();

    /**
     * Returns the current batch's labels.
     *
     * @return the labels, or null outside a batch
     */
    NDList target();

    /**
     * Returns the model's output for the current batch.
     *
     * @return the predictions, or null before they are computed
     */
    NDList pred();

    /**
     * Returns the current batch's loss (a scalar NDArray).
     *
     * @return the loss, or null before it is computed
     */
    NDArray loss();

    /**
     * Replaces the current batch's loss before the backward pass (for example a MixUp loss).
     *
     * @param loss the new loss
     */
    void setLoss(NDArray loss);

    /**
     * Returns the manager of the current batch, freed when the batch ends.
     *
     * @return the batch manager, or null outside a batch
     */
    NDManager batchManager();

    /**
     * Returns the metrics of the last completed epoch of a set, by abbreviation.
     *
     * @param set {@link Records#TRAIN} or {@link Records#VALID}
     * @return the values, empty before the first epoch end
     */
    Map<String, Double> metrics(String set);

    /**
     * Returns everything recorded so far.
     *
     * @return the records
     */
    Records records();

    /**
     * Asks the loop to stop after the current epoch (once {@link #minEpochs()} is reached).
     *
     * @param reason why, shown to the user
     */
    void stopTraining(String reason);

    /**
     * Stops training after the current batch even before {@link #minEpochs()} (a NaN loss, a
     * user's interrupt): unlike {@link #stopTraining(String)}, min epochs cannot override it.
     *
     * @param reason why, shown to the user
     */
    void abortTraining(String reason);

    /**
     * Tells whether a stop was requested.
     *
     * @return true after {@link #stopTraining(String)} or {@link #abortTraining(String)}
     */
    boolean stopRequested();

    /**
     * Returns why training was asked to stop.
     *
     * @return the reason, or null when no stop was requested
     */
    String stopReason();

    /**
     * Returns the loss function the model was set up with.
     *
     * @return the loss
     */
    Loss lossFunction();

    /**
     * Writes a checkpoint of the whole training state (weights, BatchNorm statistics, optimizer,
     * records, position, every callback's state) to folder {@code dir}, atomically. At a training
     * batch's end the position is that batch; at an epoch's end, the epoch.
     *
     * @param dir the checkpoint folder
     */
    void saveCheckpoint(Path dir);

    /**
     * Tells whether progress is printed.
     *
     * @return the verbosity
     */
    boolean verbose();
}
