package io.github.luzj.examples.cli;

import io.github.luzj.examples.chapter.BatchNormExperiment;
import io.github.luzj.examples.chapter.BatchNormExperiment.Layers;
import io.github.luzj.examples.chapter.BatchNormResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The chapter's 17.1, {@link BatchNormExperiment}. */
@Command(
        name = "batchnorm",
        mixinStandardHelpOptions = true,
        description = "Train the chapter's convnet with batch normalization on augmented MNIST.")
final class BatchNormCommand implements Callable<Integer> {

    @Mixin TrainingOptions training;

    @Mixin EpochsOption epochOption;

    @Option(names = "--lr", paramLabel = "LR", defaultValue = BatchNormExperiment.DEFAULT_LR, description = "Adam's learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--no-batchnorm", description = "Leave batch normalization out, for the comparison.")
    boolean noBatchNorm;

    @Override
    public Integer call() {
        training.validate();
        int epochs = epochOption.epochs();
        Path out = training.common.outOr(noBatchNorm ? "no-batchnorm" : "batchnorm");
        BatchNormResult result = BatchNormExperiment.run(training.settings(), epochs, lr,
                noBatchNorm ? Layers.WITHOUT_BATCH_NORM : Layers.WITH_BATCH_NORM);
        return Outputs.write(out, result);
    }
}
