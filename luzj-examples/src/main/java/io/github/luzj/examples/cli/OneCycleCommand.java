package io.github.luzj.examples;

import io.github.luzj.LuzjException;
import io.github.luzj.callbacks.LuzCallbacks;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.data.DataLoader;
import io.github.luzj.io.OutputSet;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.record.StepPlot;
import io.github.luzj.vision.ChapterConvNet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The chapter's 17.2.2: the batch-norm convnet trained with Adam under a one-cycle schedule
 * ({@code max_lr = 0.01}) stepped after every batch.
 */
@Command(
        name = "one-cycle",
        mixinStandardHelpOptions = true,
        description = "Train the chapter's convnet with a one-cycle LR schedule stepped per batch.")
final class OneCycleCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    @Mixin CheckpointOptions checkpoints;

    @Mixin TensorBoardOption tensorboard;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--max-lr", paramLabel = "LR", defaultValue = "0.01", description = "One-cycle's max_lr (default: ${DEFAULT-VALUE}).")
    double maxLr;

    @Override
    public Integer call() {
        common.validate();
        LuzjException.check(epochs >= 1, "--epochs must be >= 1, got %d", epochs);
        LuzjException.check(
                Double.isFinite(maxLr) && maxLr > 0, "--max-lr must be a finite number > 0, got %s", maxLr);
        checkpoints.validate();
        Path out = common.outOr("one-cycle");
        ChapterData data = ChapterData.load(common);
        DataLoader train = data.trainLoader(common, ChapterData.augmentation());
        // the cycle's length is checked now, not after the model is set up
        LrSchedulers.oneCycle(maxLr).epochs(epochs).stepsPerEpoch(train.size()).resolveTotalSteps();
        DataLoader valid = data.validLoader(common, null);
        // the chapter: lr_one_cycle(max_lr = 0.01, epochs = 5, steps_per_epoch = length(train_dl)),
        // call_on = "on_batch_end"; the callback takes epochs and steps per epoch from the fit
        var schedule = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(maxLr), "on_batch_end");
        TrainingRun run =
                TrainingRun.fit(
                        common,
                        ChapterConvNet.create(true),
                        Optimizers.adam(),
                        train,
                        valid,
                        epochs,
                        checkpoints,
                        "java -jar luzj-examples.jar one-cycle ... --checkpoint-dir " + checkpoints.dir + " --resume",
                        java.util.Map.of(
                                "command", "one-cycle",
                                "--max-lr", maxLr,
                                // the schedule spans the epochs given: more epochs, another schedule
                                "schedule", "one-cycle over " + epochs + " epochs of " + train.size() + " steps",
                                "--batch-size", common.batchSize),
                        tensorboard.plus(schedule));
        try (run.fitted) {
            OutputSet.write(out, stage -> {
                StepsCsv.write(run.fitted.records(), "default", stage.resolve("lr.csv"));
                StepPlot.defaults().writePng(run.fitted.records(), stage.resolve("lr.png"));
                run.writeOutputs(stage, "one-cycle")
                        .put("max_lr", maxLr)
                        .put("steps_per_epoch", train.size())
                        .put("batch_size", common.batchSize)
                        .put("seed", common.seed)
                        .write(stage.resolve("summary.json"));
            });
        }
        System.out.println("Wrote " + out.resolve("summary.json"));
        return run.exitCode();
    }
}
