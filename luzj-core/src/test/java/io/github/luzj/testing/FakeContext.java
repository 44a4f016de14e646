package io.github.luzj.testing;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A context whose every value a test sets by hand: epochs, batch position, metrics. It records
 * stop requests and checkpoint saves instead of acting on them, so a callback can be driven
 * without a fit loop. The fields are public because the tests that use it live in other modules
 * and packages; there is no model and no loss function behind it.
 */
public final class FakeContext implements Context {

    /** What {@link #phase()} returns; {@link #training()} follows it. */
    public Phase phase;
    /** What {@link #epoch()} returns. */
    public int epoch = 1;
    /** What {@link #maxEpochs()} returns. */
    public int maxEpochs = 10;
    /** What {@link #minEpochs()} returns. */
    public int minEpochs;
    /** What {@link #batchIndex()} returns. */
    public int batchIndex;
    /** What {@link #globalStep()} returns. */
    public long globalStep;
    /** What {@link #trainBatches()} returns. */
    public int trainBatches = 5;
    /** What {@link #validBatches()} returns. */
    public int validBatches = 2;
    /** What {@link #verbose()} returns. */
    public boolean verbose;
    /** What {@link #optimizer()} returns. */
    public LuzOptimizer optimizer;
    /** What {@link #input()} returns. */
    public NDList input;
    /** What {@link #target()} returns. */
    public NDList target;
    /** What {@link #pred()} returns. */
    public NDList pred;
    /** What {@link #loss()} returns; {@link #setLoss(NDArray)} writes it. */
    public NDArray loss;
    /** What {@link #batchManager()} returns. */
    public NDManager batchManager;
    /** What {@link #records()} returns. */
    public final Records records = new Records();
    /** The metrics {@link #metrics(String)} returns, by set. */
    public final Map<String, Map<String, Double>> metrics = new HashMap<>();
    /** Every reason given to {@link #stopTraining} or {@link #abortTraining}, in order. */
    public final List<String> stops = new ArrayList<>();
    /** Every folder given to {@link #saveCheckpoint}, in order. */
    public final List<Path> checkpoints = new ArrayList<>();
    /** Every warning given to {@link #warn}, in order. */
    public final List<String> warnings = new ArrayList<>();

    /**
     * Sets the metrics of the epoch that just ended.
     *
     * @param set {@link Records#TRAIN} or {@link Records#VALID}
     * @param values the values, by abbreviation
     * @return this context
     */
    public FakeContext metrics(String set, Map<String, Double> values) {
        metrics.put(set, values);
        return this;
    }

    /**
     * Sets {@code valid_loss} for epoch {@code epoch}, and makes it the current epoch.
     *
     * @param epoch the epoch
     * @param loss the validation loss
     * @return this context
     */
    public FakeContext validLoss(int epoch, double loss) {
        this.epoch = epoch;
        return metrics(Records.VALID, Map.of("loss", loss));
    }

    @Override
    public Phase phase() {
        return phase;
    }

    @Override
    public Model model() {
        throw new UnsupportedOperationException("no model in a fake context");
    }

    @Override
    public LuzOptimizer optimizer() {
        return optimizer;
    }

    @Override
    public Device device() {
        return Device.cpu();
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
        return globalStep;
    }

    @Override
    public int trainBatches() {
        return trainBatches;
    }

    @Override
    public int validBatches() {
        return validBatches;
    }

    @Override
    public boolean training() {
        return phase != null && phase.isTrainBatch();
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
        return metrics.getOrDefault(set, Map.of());
    }

    @Override
    public Records records() {
        return records;
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
    }

    @Override
    public void stopTraining(String reason) {
        stops.add(reason);
    }

    @Override
    public boolean stopRequested() {
        return !stops.isEmpty();
    }

    @Override
    public void saveCheckpoint(Path dir) {
        checkpoints.add(dir);
    }

    @Override
    public boolean verbose() {
        return verbose;
    }

    @Override
    public void abortTraining(String reason) {
        stops.add(reason);
    }

    @Override
    public String stopReason() {
        return stops.isEmpty() ? null : stops.get(0);
    }

    @Override
    public ai.djl.training.loss.Loss lossFunction() {
        throw new UnsupportedOperationException("a fake context has no loss function");
    }
}
