package io.github.luzj.examples.chapter;

import io.github.luzj.data.DataLoader;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.Map;

/**
 * The one-cycle experiment without a schedule: the batch-norm convnet trained with schedule-free
 * AdamW (Defazio et al. 2024) at a constant learning rate, validated at the optimizer's average
 * x with batch norm's statistics recomputed there.
 */
public final class ScheduleFreeExperiment {

    /** The default rate, chosen on full MNIST (docs/results/schedule-free). */
    public static final String DEFAULT_LR = "0.005";

    private ScheduleFreeExperiment() {}

    /**
     * Trains the chapter's convnet with schedule-free AdamW, no scheduler.
     *
     * @param run the data, seed, device and checkpoint settings
     * @param epochs epochs, at least 1
     * @param lr the constant learning rate
     * @param warmupSteps schedule-free's own linear warm-up, 0 for none
     * @param weightDecay weight decay, taken at y as the reference does
     * @return the run's history and figures
     */
    public static ScheduleFreeResult run(
            RunSettings run, int epochs, double lr, int warmupSteps, double weightDecay) {
        ChapterData data = ChapterData.load(run);
        DataLoader train = data.trainLoader(run, ChapterData.augmentation());
        DataLoader valid = data.validLoader(run, null);
        OptimizerSpec optimizer =
                Optimizers.scheduleFreeAdamW().lr(lr).warmupSteps(warmupSteps).weightDecay(weightDecay);
        TrainingResult training =
                TrainingRun.fit(
                        run,
                        ChapterConvNet.withBatchNorm(),
                        optimizer,
                        train,
                        valid,
                        epochs,
                        "schedule-free",
                        Map.of(
                                "command", "schedule-free",
                                "--lr", lr,
                                "--warmup-steps", warmupSteps,
                                "--weight-decay", weightDecay,
                                "--batch-size", run.batchSize()))
                        .finish();
        return new ScheduleFreeResult(
                training, optimizer.toString(), lr, warmupSteps, weightDecay, train.size(),
                run.batchSize(), run.seed());
    }
}
