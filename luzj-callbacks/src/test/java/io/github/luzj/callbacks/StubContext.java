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
import java.util.HashMap;
import java.util.Map;

/** A context with an optimizer, a batch count and epoch metrics; the rest is not needed here. */
final class StubContext implements Context {

    private final LuzOptimizer optimizer;
    private final int trainBatches;
    private final Map<String, Map<String, Double>> metrics = new HashMap<>();
    /** The fit's epochs, as the fit loop would report them. */
    int fitEpochs = 3;
    /** What {@link #warn} was told. */
    final java.util.List<String> warnings = new java.util.ArrayList<>();

    StubContext(LuzOptimizer optimizer, int trainBatches) {
        this.optimizer = optimizer;
        this.trainBatches = trainBatches;
    }

    void setMetrics(String set, Map<String, Double> values) {
        metrics.put(set, values);
    }

    @Override
    public LuzOptimizer optimizer() {
        return optimizer;
    }

    @Override
    public int trainBatches() {
        return trainBatches;
    }

    @Override
    public Map<String, Double> metrics(String set) {
        return metrics.getOrDefault(set, Map.of());
    }

    private static UnsupportedOperationException unused() {
        return new UnsupportedOperationException("not part of the stub");
    }

    @Override
    public Phase phase() {
        throw unused();
    }

    @Override
    public Model model() {
        throw unused();
    }

    @Override
    public Device device() {
        throw unused();
    }

    @Override
    public int epoch() {
        throw unused();
    }

    @Override
    public int maxEpochs() {
        return fitEpochs;
    }

    @Override
    public void warn(String message) {
        warnings.add(message);
    }

    @Override
    public int minEpochs() {
        throw unused();
    }

    @Override
    public int batchIndex() {
        throw unused();
    }

    @Override
    public long globalStep() {
        throw unused();
    }

    @Override
    public int validBatches() {
        throw unused();
    }

    @Override
    public boolean training() {
        throw unused();
    }

    @Override
    public NDList input() {
        throw unused();
    }

    @Override
    public NDList target() {
        throw unused();
    }

    @Override
    public NDList pred() {
        throw unused();
    }

    @Override
    public NDArray loss() {
        throw unused();
    }

    @Override
    public void setLoss(NDArray loss) {
        throw unused();
    }

    @Override
    public NDManager batchManager() {
        throw unused();
    }

    @Override
    public Records records() {
        throw unused();
    }

    @Override
    public void stopTraining(String reason) {
        throw unused();
    }

    @Override
    public boolean stopRequested() {
        throw unused();
    }

    @Override
    public boolean verbose() {
        throw unused();
    }

    @Override
    public void saveCheckpoint(java.nio.file.Path dir) {
        throw unused();
    }

    @Override
    public void abortTraining(String reason) {
        throw unused();
    }

    @Override
    public String stopReason() {
        throw unused();
    }

    @Override
    public ai.djl.training.loss.Loss lossFunction() {
        throw unused();
    }
}
