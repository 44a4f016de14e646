package io.github.luzj.examples;

import io.github.luzj.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.io.OutputSet;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.ChapterConvNet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The one-cycle experiment without a schedule: the batch-norm convnet trained with schedule-free
 * AdamW (Defazio et al. 2024) at a constant learning rate, validated at the optimizer's average
 * x with batch norm's statistics recomputed there.
 */
@Command(
        name = "schedule-free",
        mixinStandardHelpOptions = true,
        description = "Train the chapter's convnet with schedule-free AdamW at a constant rate, no scheduler.")
final class ScheduleFreeCommand implements Callable<Integer> {

    /** The default rate, chosen on full MNIST (docs/results/schedule-free). */
    static final String DEFAULT_LR = "0.005";

    @Mixin CommonOptions common;

    @Mixin CheckpointOptions checkpoints;

    @Mixin TensorBoardOption tensorboard;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = DEFAULT_LR, description = "The constant learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "0", description = "Schedule-free's own linear warm-up, in steps (default: ${DEFAULT-VALUE}: none).")
    int warmupSteps;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "0", description = "Weight decay, taken at y as the reference does (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Override
    public Integer call() {
        common.validate();
        checkpoints.validate();
        LuzjException.check(epochs >= 1, "--epochs must be >= 1, got %d", epochs);
        LuzjException.check(
                Double.isFinite(lr) && lr > 0, "--lr must be a finite number > 0, got %s", lr);
        LuzjException.check(warmupSteps >= 0, "--warmup-steps must be >= 0, got %d", warmupSteps);
        LuzjException.check(
                Double.isFinite(weightDecay) && weightDecay >= 0,
                "--weight-decay must be a finite number >= 0, got %s",
                weightDecay);
        Path out = common.outOr("schedule-free");
        ChapterData data = ChapterData.load(common);
        DataLoader train = data.trainLoader(common, ChapterData.augmentation());
        DataLoader valid = data.validLoader(common, null);
        OptimizerSpec optimizer =
                Optimizers.scheduleFreeAdamW().lr(lr).warmupSteps(warmupSteps).weightDecay(weightDecay);
        TrainingRun run =
                TrainingRun.fit(
                        common,
                        ChapterConvNet.create(true),
                        optimizer,
                        train,
                        valid,
                        epochs,
                        checkpoints,
                        "java -jar luzj-examples.jar schedule-free ... --checkpoint-dir " + checkpoints.dir + " --resume",
                        java.util.Map.of(
                                "command", "schedule-free",
                                "--lr", lr,
                                "--warmup-steps", warmupSteps,
                                "--weight-decay", weightDecay,
                                "--batch-size", common.batchSize),
                        tensorboard.plus());
        try (run.fitted) {
            OutputSet.write(out, stage -> run.writeOutputs(stage, "schedule-free")
                    .put("optimizer", optimizer.toString())
                    .put("lr", lr)
                    .put("warmup_steps", warmupSteps)
                    .put("weight_decay", weightDecay)
                    .put("steps_per_epoch", train.size())
                    .put("batch_size", common.batchSize)
                    .put("seed", common.seed)
                    .write(stage.resolve("summary.json")));
        }
        System.out.println("Wrote " + out.resolve("summary.json"));
        return run.exitCode();
    }
}
