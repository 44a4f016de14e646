package io.github.luzj.examples.chapter;

import java.nio.file.Path;

/**
 * A {@code batchnorm} run.
 *
 * @param training the fit
 * @param batchNorm whether the convnet had batch normalization
 * @param lr Adam's learning rate
 * @param batchSize the batch size
 * @param seed the seed
 */
public record BatchNormResult(
        TrainingResult training, boolean batchNorm, double lr, int batchSize, long seed)
        implements TrainedResult {

    @Override
    public void write(Path dir) {
        training.writeHistory(dir);
        training.summary("batchnorm")
                .put("batchnorm", batchNorm)
                .put("lr", lr)
                .put("batch_size", batchSize)
                .put("seed", seed)
                .write(dir.resolve("summary.json"));
    }
}
