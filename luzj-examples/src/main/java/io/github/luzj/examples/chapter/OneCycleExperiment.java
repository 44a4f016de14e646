package io.github.luzj.examples.chapter;

import io.github.luzj.callbacks.LuzCallbacks;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.data.DataLoader;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.Map;

/**
 * The chapter's 17.2.2: the batch-norm convnet trained with Adam under a one-cycle schedule
 * ({@code max_lr = 0.01}) stepped after every batch.
 */
public final class OneCycleExperiment {

    private OneCycleExperiment() {}

    /**
     * Trains the chapter's convnet under one-cycle.
     *
     * @param run the data, seed, device and checkpoint settings
     * @param epochs epochs, at least 1: the cycle spans them
     * @param maxLr one-cycle's {@code max_lr}
     * @return the run's history, its rate at every step, and its figures
     */
    public static OneCycleResult run(RunSettings run, int epochs, double maxLr) {
        ChapterData data = ChapterData.load(run);
        DataLoader train = data.trainLoader(run, ChapterData.augmentation());
        // the cycle's length is checked now, not after the model is set up
        LrSchedulers.oneCycle(maxLr).epochs(epochs).stepsPerEpoch(train.size()).resolveTotalSteps();
        DataLoader valid = data.validLoader(run, null);
        // the chapter: lr_one_cycle(max_lr = 0.01, epochs = 5, steps_per_epoch = length(train_dl)),
        // call_on = "on_batch_end"; the callback takes epochs and steps per epoch from the fit
        var schedule = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(maxLr), "on_batch_end");
        TrainingResult training =
                TrainingRun.fit(
                        run,
                        ChapterConvNet.withBatchNorm(),
                        Optimizers.adam(),
                        train,
                        valid,
                        epochs,
                        "one-cycle",
                        Map.of(
                                "command", "one-cycle",
                                "--max-lr", maxLr,
                                // the schedule spans the epochs given: more epochs, another schedule
                                "schedule", "one-cycle over " + epochs + " epochs of " + train.size() + " steps",
                                "--batch-size", run.batchSize()),
                        schedule)
                        .finish();
        return new OneCycleResult(training, maxLr, train.size(), run.batchSize(), run.seed());
    }
}
