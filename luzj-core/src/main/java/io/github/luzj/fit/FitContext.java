package io.github.luzj.fit;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;

/** The fit loop's {@link Context}: the loop writes it, callbacks read it. */
final class FitContext implements Context {

    private final Session session;
    private final io.github.luzj.callback.CallbackList callbacks;
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
    /** Training batches run in an epoch cut short by a stop, else -1. */
    int cutAfterBatches = -1;

    FitContext(
            Session session,
            io.github.luzj.callback.CallbackList callbacks,
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
    }

    void setPhase(Phase phase) {
        this.phase = phase;
    }

    void startBatch(NDManager manager, NDList input, NDList target, int index) {
        this.batchManager = manager;
        this.input = input;
        this.target = target;
        this.batchIndex = index;
        this.pred = null;
        this.loss = null;
    }

    void endBatch() {
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
        this.loss = loss;
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
    public ai.djl.training.loss.Loss lossFunction() {
        return session.loss();
    }

    @Override
    public void saveCheckpoint(java.nio.file.Path dir) {
        // schedule-free AdamW's weights are saved at x, training goes on from y unchanged
        session.optimizer()
                .atEvalPoint(
                        () ->
                                io.github.luzj.io.Checkpoint.save(
                                        dir,
                                        session.model().getBlock(),
                                        session.optimizer(),
                                        session.records(),
                                        new io.github.luzj.io.Checkpoint.Meta(
                                                position(), callbacks.states())));
    }

    /** Where training stands, as a checkpoint records it. */
    private io.github.luzj.io.Checkpoint.Position position() {
        if (phase == null || phase.ordinal() >= Phase.EPOCH_END.ordinal()) {
            if (cutAfterBatches >= 0) {
                // the epoch was cut short: resuming must run its remaining batches
                return new io.github.luzj.io.Checkpoint.Position(
                        session.epochsDone() - 1, cutAfterBatches, session.globalStep());
            }
            return new io.github.luzj.io.Checkpoint.Position(
                    session.epochsDone(), 0, session.globalStep());
        }
        int batches =
                phase.isTrainBatch() ? batchIndex + 1
                        : phase.ordinal() > Phase.TRAIN_BATCH_END.ordinal() ? trainBatches : 0;
        return new io.github.luzj.io.Checkpoint.Position(
                session.epochsDone(), batches, session.globalStep());
    }

    @Override
    public boolean verbose() {
        return verbose;
    }
}
