package io.github.luzj.fit.internal;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import com.google.gson.JsonObject;
import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.checkpoint.Checkpoint;
import io.github.luzj.checkpoint.CheckpointLock;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The fit loop's {@link Context}: the loop writes it, callbacks read it. */
final class FitContext implements Context, BatchRunner.Scope {

    private static final Logger LOG = LoggerFactory.getLogger(FitContext.class);

    private final Session session;
    private final CallbackList callbacks;
    private final boolean verbose;
    private final int maxEpochs;
    private final int minEpochs;
    private final int trainBatches;
    private final int validBatches;
    /** Batches per optimizer step (gradient accumulation), 1 by default. */
    int accumulate = 1;
    /** Whether the current training batch steps the optimizer. */
    boolean stepping = true;
    private final Map<String, Map<String, Double>> epochMetrics = new HashMap<>();
    Phase phase;
    int epoch;
    int batchIndex;
    boolean training;
    NDList input;
    NDList target;
    NDList pred;
    NDArray loss;
    NDManager batchManager;
    String stopReason;
    boolean aborted;
    /** The epochs the fit was asked for; see {@link Context#fitEpochs()}. */
    int fitEpochs;
    /** Where warnings are printed beside SLF4J, or null (not verbose, or SLF4J has a provider). */
    PrintStream warnings;
    /** Training batches of the current epoch done, those before a resume included. */
    int batchesTrained;
    /** The current epoch's training sums, read only when a checkpoint is written. */
    Supplier<JsonObject> runningSums = () -> null;
    /** The sums of the epoch just ended when it was cut short or not validated, else null. */
    JsonObject pendingEpoch;
    /** The run's settings, recorded in checkpoints. */
    Map<String, String> config = Map.of();
    boolean overwriteCheckpoints;
    private final Map<Path, CheckpointLock> locks = new HashMap<>();

    FitContext(
            Session session,
            CallbackList callbacks,
            boolean verbose,
            int maxEpochs,
            int minEpochs,
            int trainBatches,
            int validBatches) {
        this.session = session;
        this.callbacks = callbacks;
        this.verbose = verbose;
        this.maxEpochs = maxEpochs;
        this.minEpochs = minEpochs;
        this.trainBatches = trainBatches;
        this.validBatches = validBatches;
        this.fitEpochs = maxEpochs;
        this.warnings = warningStream(verbose, Slf4jProvider.present());
    }

    /** Without a provider SLF4J drops warnings, so a verbose fit prints them itself. */
    static PrintStream warningStream(boolean verbose, boolean slf4jProvider) {
        return verbose && !slf4jProvider ? System.err : null;
    }

    /** Fires {@code phase} at the callbacks that declared it. */
    void fire(Phase phase) {
        this.phase = phase;
        callbacks.fire(phase, this);
    }

    @Override
    public void startBatch(NDManager manager, NDList input, NDList target, int index) {
        this.batchManager = manager;
        this.input = input;
        this.target = target;
        this.batchIndex = index;
        this.pred = null;
        this.loss = null;
    }

    @Override
    public void endBatch() {
        batchManager = null;
        input = null;
        target = null;
        pred = null;
        loss = null;
    }

    void setMetrics(String set, Map<String, Double> values) {
        epochMetrics.put(set, Collections.unmodifiableMap(values));
    }

    @Override
    public Phase phase() {
        return phase;
    }

    @Override
    public Model model() {
        return session.model();
    }

    @Override
    public LuzOptimizer optimizer() {
        return session.optimizer();
    }

    @Override
    public Device device() {
        return session.device();
    }

    @Override
    public int epoch() {
        return epoch;
    }

    @Override
    public int maxEpochs() {
        return maxEpochs;
    }

    @Override
    public int minEpochs() {
        return minEpochs;
    }

    @Override
    public int batchIndex() {
        return batchIndex;
    }

    @Override
    public long globalStep() {
        return session.globalStep();
    }

    @Override
    public int trainBatches() {
        return trainBatches;
    }

    @Override
    public int fitEpochs() {
        return fitEpochs;
    }

    @Override
    public void warn(String message) {
        LOG.warn(message);
        if (warnings != null) {
            warnings.println("Warning: " + message);
        }
    }

    @Override
    public boolean optimizerStepped() {
        return stepping;
    }

    @Override
    public int stepsPerEpoch() {
        return (trainBatches + accumulate - 1) / accumulate;
    }

    @Override
    public int validBatches() {
        return validBatches;
    }

    @Override
    public boolean training() {
        return training;
    }

    @Override
    public NDList input() {
        return input;
    }

    @Override
    public NDList target() {
        return target;
    }

    @Override
    public NDList pred() {
        return pred;
    }

    @Override
    public NDArray loss() {
        return loss;
    }

    @Override
    public void setLoss(NDArray loss) {
        this.loss = Checks.notNull("loss", loss,
                "a callback's setLoss needs the batch's loss array; leave it as it is to keep it");
    }

    @Override
    public NDManager batchManager() {
        return batchManager;
    }

    @Override
    public Map<String, Double> metrics(String set) {
        return epochMetrics.getOrDefault(set, Map.of());
    }

    @Override
    public List<String> metricNames() {
        List<String> names = new ArrayList<>(List.of("loss"));
        session.metrics().forEach(m -> names.add(m.abbrev()));
        return Collections.unmodifiableList(names);
    }

    @Override
    public Records records() {
        return session.records();
    }

    @Override
    public void stopTraining(String reason) {
        if (stopReason == null) {
            stopReason = reason == null ? "stop requested" : reason;
        }
    }

    @Override
    public void abortTraining(String reason) {
        stopTraining(reason);
        aborted = true;
    }

    @Override
    public boolean stopRequested() {
        return stopReason != null;
    }

    @Override
    public String stopReason() {
        return stopReason;
    }

    @Override
    public Loss lossFunction() {
        return session.loss();
    }

    @Override
    public void saveCheckpoint(Path dir) {
        Checks.notNull("dir", dir, "pass the folder to write the checkpoint into");
        if (phase == Phase.TRAIN_BATCH_AFTER_STEP) {
            throw new LuzjException(
                    "a checkpoint cannot be written at " + phase.luzName() + ": the step is taken"
                            + " but the batch's metrics are not counted yet; write it at"
                            + " on_train_batch_end");
        }
        // one folder for the check, the lock and the write, whatever links and ".." it holds
        Path folder = AtomicFiles.resolved(dir);
        Checkpoint.checkWritable(folder); // before the lock file goes in
        locks.computeIfAbsent(folder, CheckpointLock::acquire);
        // schedule-free AdamW's weights are saved at x, training goes on from y unchanged
        session.optimizer()
                .atEvalPoint(
                        () ->
                                Checkpoint.save(
                                        folder,
                                        session.model().getBlock(),
                                        session.optimizer(),
                                        session.records(),
                                        meta(),
                                        overwriteCheckpoints));
    }

    /** Where training stands, as a checkpoint records it. */
    private Checkpoint.Meta meta() {
        Checkpoint.Position at;
        JsonObject running = null;
        if (phase == null || phase.ordinal() >= Phase.EPOCH_END.ordinal()) {
            if (pendingEpoch != null) {
                // the epoch was cut short or not validated: resuming must finish it
                at = new Checkpoint.Position(
                        session.epochsDone() - 1, batchesTrained, session.globalStep());
                running = pendingEpoch;
            } else {
                at = new Checkpoint.Position(session.epochsDone(), 0, session.globalStep());
            }
        } else {
            at = new Checkpoint.Position(
                    session.epochsDone(), batchesTrained, session.globalStep());
            running = batchesTrained > 0 ? runningSums.get() : null;
        }
        return new Checkpoint.Meta(
                at,
                callbacks.states(),
                callbacks.stateBytes(),
                running,
                new Checkpoint.Run(session.runId(), maxEpochs, config));
    }

    /** Releases the checkpoint folders this fit locked. */
    void releaseLocks() {
        locks.values().forEach(CheckpointLock::close);
        locks.clear();
    }

    @Override
    public boolean verbose() {
        return verbose;
    }
}
