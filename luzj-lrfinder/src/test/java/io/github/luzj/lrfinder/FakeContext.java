package io.github.luzj.lrfinder;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import java.util.Map;

/** A context that holds an optimizer and a loss, for driving a callback without a fit loop. */
final class FakeContext implements Context {

    private final LuzOptimizer optimizer;
    private final NDManager manager;
    private NDArray loss;
    private String stopReason;

    FakeContext(LuzOptimizer optimizer, NDManager manager) {
        this.optimizer = optimizer;
        this.manager = manager;
    }

    void setLossValue(float value) {
        loss = manager.create(value);
    }

    @Override
    public String stopReason() {
        return stopReason;
    }

    @Override
    public Phase phase() {
        return null;
    }

    @Override
    public Model model() {
        throw new UnsupportedOperationException();
    }

    @Override
    public LuzOptimizer optimizer() {
        return optimizer;
    }

    @Override
    public Device device() {
        return manager.getDevice();
    }

    @Override
    public int epoch() {
        return 1;
    }

    @Override
    public int maxEpochs() {
        return 1;
    }

    @Override
    public int minEpochs() {
        return 0;
    }

    @Override
    public int batchIndex() {
        return 0;
    }

    @Override
    public long globalStep() {
        return 0;
    }

    @Override
    public int trainBatches() {
        return 1;
    }

    @Override
    public int validBatches() {
        return 0;
    }

    @Override
    public boolean training() {
        return true;
    }

    @Override
    public NDList input() {
        return null;
    }

    @Override
    public NDList target() {
        return null;
    }

    @Override
    public NDList pred() {
        return null;
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
        return manager;
    }

    @Override
    public Map<String, Double> metrics(String set) {
        return Map.of();
    }

    @Override
    public Records records() {
        return new Records();
    }

    @Override
    public void stopTraining(String reason) {
        if (stopReason == null) {
            stopReason = reason;
        }
    }

    @Override
    public boolean stopRequested() {
        return stopReason != null;
    }

    @Override
    public boolean verbose() {
        return false;
    }

    @Override
    public void saveCheckpoint(java.nio.file.Path dir) {
        throw new UnsupportedOperationException("a fake context has no model to checkpoint");
    }

    @Override
    public void abortTraining(String reason) {
        stopTraining(reason);
    }

    @Override
    public ai.djl.training.loss.Loss lossFunction() {
        throw new UnsupportedOperationException("a fake context has no loss function");
    }
}
