package io.github.luzj.examples.chapter;

import io.github.luzj.record.StepPlot;
import java.nio.file.Path;

/**
 * A {@code one-cycle} run.
 *
 * @param training the fit, with the rate and momentum of every step
 * @param maxLr one-cycle's {@code max_lr}
 * @param stepsPerEpoch training batches per epoch
 * @param batchSize the batch size
 * @param seed the seed
 */
public record OneCycleResult(
        TrainingResult training, double maxLr, int stepsPerEpoch, int batchSize, long seed)
        implements TrainedResult {

    @Override
    public void write(Path dir) {
        StepsCsv.write(training.records(), "default", dir.resolve("lr.csv"));
        StepPlot.defaults().writePng(training.records(), dir.resolve("lr.png"));
        training.writeHistory(dir);
        training.summary("one-cycle")
                .put("max_lr", maxLr)
                .put("steps_per_epoch", stepsPerEpoch)
                .put("batch_size", batchSize)
                .put("seed", seed)
                .write(dir.resolve("summary.json"));
    }
}
