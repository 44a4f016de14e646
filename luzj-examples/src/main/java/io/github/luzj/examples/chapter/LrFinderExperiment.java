package io.github.luzj.examples.chapter;

import ai.djl.training.loss.Loss;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.data.DataLoader;
import io.github.luzj.lrfinder.LrFinder;
import io.github.luzj.lrfinder.LrFinderResult;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;

/** The chapter's 17.2.1: the LR finder on the batch-norm convnet with Adam and augmentation. */
public final class LrFinderExperiment {

    /** Batches in the sweep when not told, as the CLI's option default. */
    public static final String DEFAULT_STEPS = "100";

    /** The loss's smoothing when not told, as the CLI's option default. */
    public static final String DEFAULT_BETA = "0.9";

    private LrFinderExperiment() {}

    /**
     * The sweep's settings.
     *
     * @param startLr the first learning rate
     * @param endLr the last learning rate
     * @param steps batches in the sweep
     * @param beta the loss's smoothing
     * @param logSpaced log-spaced rates, else linear
     * @param stopOnDivergence stop once the smoothed loss exceeds 4x its minimum
     */
    public record Sweep(
            double startLr, double endLr, int steps, double beta, boolean logSpaced, boolean stopOnDivergence) {}

    /**
     * Sweeps the learning rate over some batches; the sweep's settings are checked before the
     * data is loaded.
     *
     * @param run the data, seed and device settings
     * @param sweep the sweep
     * @return the losses, suggestions and figures
     */
    public static LrSweepResult run(RunSettings run, Sweep sweep) {
        LrFinder finder =
                LrFinder.builder()
                        .startLr(sweep.startLr())
                        .endLr(sweep.endLr())
                        .steps(sweep.steps())
                        .beta(sweep.beta())
                        .logSpaced(sweep.logSpaced())
                        .stopOnDivergence(sweep.stopOnDivergence())
                        .seed(run.seed())
                        .build();
        ChapterData data = ChapterData.load(run);
        DataLoader train = data.trainLoader(run, ChapterData.augmentation());
        SetupModel setup =
                Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .device(run.device());
        long start = System.nanoTime();
        LrFinderResult result = finder.run(setup, train);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new LrSweepResult(sweep, result, train.sampleCount(), seconds);
    }
}
