package io.github.luzj.examples.chapter;

import io.github.luzj.data.DataLoader;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.Map;

/** The chapter's 17.1: the convnet with (or without) batch normalization, Adam, augmentation. */
public final class BatchNormExperiment {

    /** Adam's learning rate when not told, as the CLI's option default. */
    public static final String DEFAULT_LR = "0.001";

    /** Which convnet the experiment trains: the chapter's with batch norm, or the same without. */
    public enum Layers {
        /** batch normalization after each convolution, as the chapter builds it */
        WITH_BATCH_NORM,
        /** the same convnet without batch normalization, the comparison's baseline */
        WITHOUT_BATCH_NORM
    }

    private BatchNormExperiment() {}

    /**
     * Trains the chapter's convnet on augmented MNIST.
     *
     * @param run the data, seed, device and checkpoint settings
     * @param epochs epochs, at least 1
     * @param lr Adam's learning rate
     * @param layers the convnet with batch normalization, or without it for the comparison
     * @return the run's history and figures
     */
    public static BatchNormResult run(RunSettings run, int epochs, double lr, Layers layers) {
        boolean batchNorm = layers == Layers.WITH_BATCH_NORM;
        ChapterData data = ChapterData.load(run);
        DataLoader train = data.trainLoader(run, ChapterData.augmentation());
        DataLoader valid = data.validLoader(run, null);
        TrainingResult training =
                TrainingRun.fit(
                        run,
                        (batchNorm ? ChapterConvNet.withBatchNorm() : ChapterConvNet.withoutBatchNorm()),
                        Optimizers.adam().lr(lr),
                        train,
                        valid,
                        epochs,
                        "batchnorm",
                        Map.of(
                                "command", "batchnorm",
                                "--lr", lr,
                                "--no-batchnorm", !batchNorm,
                                "--batch-size", run.batchSize()))
                        .finish();
        return new BatchNormResult(training, batchNorm, lr, run.batchSize(), run.seed());
    }
}
