package io.github.luzj.examples;

import io.github.luzj.data.DataLoader;
import io.github.luzj.io.OutputSet;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.ChapterConvNet;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The chapter's 17.1: the convnet with (or without) batch normalization, Adam, augmentation. */
@Command(
        name = "batchnorm",
        mixinStandardHelpOptions = true,
        description = "Train the chapter's convnet with batch normalization on augmented MNIST.")
final class BatchNormCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    @Mixin CheckpointOptions checkpoints;

    @Mixin TensorBoardOption tensorboard;

    @Option(names = "--epochs", paramLabel = "N", defaultValue = "5", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = "0.001", description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--no-batchnorm", description = "Leave batch normalization out, for the comparison.")
    boolean noBatchNorm;

    @Override
    public Integer call() {
        common.validate();
        io.github.luzj.LuzjException.check(epochs >= 1, "--epochs must be >= 1, got %d", epochs);
        checkpoints.validate();
        Path out = common.outOr(noBatchNorm ? "no-batchnorm" : "batchnorm");
        ChapterData data = ChapterData.load(common);
        DataLoader train = data.trainLoader(common, ChapterData.augmentation());
        DataLoader valid = data.validLoader(common, null);
        TrainingRun run =
                TrainingRun.fit(
                        common,
                        ChapterConvNet.create(!noBatchNorm),
                        Optimizers.adam().lr(lr),
                        train,
                        valid,
                        epochs,
                        checkpoints,
                        "java -jar luzj-examples.jar batchnorm ... --checkpoint-dir " + checkpoints.dir + " --resume",
                        java.util.Map.of(
                                "command", "batchnorm",
                                "--lr", lr,
                                "--no-batchnorm", noBatchNorm,
                                "--batch-size", common.batchSize),
                        tensorboard.plus());
        try (run.fitted) {
            OutputSet.write(out, stage -> run.writeOutputs(stage, "batchnorm")
                    .put("batchnorm", !noBatchNorm)
                    .put("lr", lr)
                    .put("batch_size", common.batchSize)
                    .put("seed", common.seed)
                    .write(stage.resolve("summary.json")));
        }
        System.out.println("Wrote " + out.resolve("summary.json"));
        return run.exitCode();
    }
}
