package io.github.luzj.examples.cli;

import io.github.luzj.base.Checks;
import io.github.luzj.examples.chapter.OneCycleExperiment;
import io.github.luzj.examples.chapter.OneCycleResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The chapter's 17.2.2, {@link OneCycleExperiment}. */
@Command(
        name = "one-cycle",
        mixinStandardHelpOptions = true,
        description = "Train the chapter's convnet with a one-cycle LR schedule stepped per batch.")
final class OneCycleCommand implements Callable<Integer> {

    @Mixin TrainingOptions training;

    @Mixin EpochsOption epochOption;

    @Option(names = "--max-lr", paramLabel = "LR", defaultValue = "0.01", description = "One-cycle's max_lr (default: ${DEFAULT-VALUE}).")
    double maxLr;

    @Override
    public Integer call() {
        training.validate();
        int epochs = epochOption.epochs();
        Checks.check(
                Double.isFinite(maxLr) && maxLr > 0, "--max-lr must be a finite number > 0, got %s", maxLr);
        Path out = training.common.outOr("one-cycle");
        OneCycleResult result = OneCycleExperiment.run(training.settings(), epochs, maxLr);
        return Outputs.write(out, result);
    }
}
