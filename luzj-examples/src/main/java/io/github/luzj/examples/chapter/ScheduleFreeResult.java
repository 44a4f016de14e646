package io.github.luzj.examples.chapter;

import java.nio.file.Path;

/**
 * A {@code schedule-free} run.
 *
 * @param training the fit
 * @param optimizer the optimizer, as its spec prints
 * @param lr the constant learning rate
 * @param warmupSteps schedule-free's warm-up steps
 * @param weightDecay the weight decay
 * @param stepsPerEpoch training batches per epoch
 * @param batchSize the batch size
 * @param seed the seed
 */
public record ScheduleFreeResult(
        TrainingResult training,
        String optimizer,
        double lr,
        int warmupSteps,
        double weightDecay,
        int stepsPerEpoch,
        int batchSize,
        long seed)
        implements TrainedResult {

    @Override
    public void write(Path dir) {
        training.writeHistory(dir);
        training.summary("schedule-free")
                .put("optimizer", optimizer)
                .put("lr", lr)
                .put("warmup_steps", warmupSteps)
                .put("weight_decay", weightDecay)
                .put("steps_per_epoch", stepsPerEpoch)
                .put("batch_size", batchSize)
                .put("seed", seed)
                .write(dir.resolve("summary.json"));
    }
}
