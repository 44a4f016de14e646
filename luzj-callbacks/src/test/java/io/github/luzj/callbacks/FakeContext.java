package io.github.luzj.callbacks;

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
 * stop requests and checkpoint saves instead of acting on them.
 */
final class FakeContext implements Context {

    Phase phase;
    int epoch = 1;
    int maxEpochs = 10;
    int minEpochs;
    int batchIndex;
    long globalStep;
    int trainBatches = 5;
    int validBatches = 2;
    boolean verbose;
    LuzOptimizer optimizer;
    NDList input;
    NDList target;
    NDList pred;
    NDArray loss;
    NDManager batchManager;
    final Records records = new Records();
    final Map<String, Map<String, Double>> metrics = new HashMap<>();
    final List<String> stops = new ArrayList<>();
    final List<Path> checkpoints = new ArrayList<>();

    /** Sets the metrics of the epoch that just ended. */
    FakeContext metrics(String set, Map<String, Double> values) {
        metrics.put(set, values);
        return this;
    }

    /** Sets {@code valid_loss} for epoch {@code epoch}. */
    FakeContext validLoss(int epoch, double loss) {
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
