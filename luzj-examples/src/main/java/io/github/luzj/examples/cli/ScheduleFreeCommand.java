package io.github.luzj.examples.cli;

import io.github.luzj.base.Checks;
import io.github.luzj.examples.chapter.ScheduleFreeExperiment;
import io.github.luzj.examples.chapter.ScheduleFreeResult;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** One-cycle's experiment without a schedule, {@link ScheduleFreeExperiment}. */
@Command(
        name = "schedule-free",
        mixinStandardHelpOptions = true,
        description = "Train the chapter's convnet with schedule-free AdamW at a constant rate, no scheduler.")
final class ScheduleFreeCommand implements Callable<Integer> {

    @Option(names = "--lr", paramLabel = "LR", defaultValue = ScheduleFreeExperiment.DEFAULT_LR, description = "The constant learning rate (default: ${DEFAULT-VALUE}).")
    double lr;

    @Option(names = "--warmup-steps", paramLabel = "N", defaultValue = "0", description = "Schedule-free's own linear warm-up, in steps (default: ${DEFAULT-VALUE}: none).")
    int warmupSteps;

    @Option(names = "--weight-decay", paramLabel = "WD", defaultValue = "0", description = "Weight decay, taken at y as the reference does (default: ${DEFAULT-VALUE}).")
    double weightDecay;

    @Mixin TrainingOptions training;

    @Mixin EpochsOption epochOption;

    @Override
    public Integer call() {
        training.validate();
        int epochs = epochOption.epochs();
        Checks.check(
                Double.isFinite(lr) && lr > 0, "--lr must be a finite number > 0, got %s", lr);
        Checks.check(warmupSteps >= 0, "--warmup-steps must be >= 0, got %d", warmupSteps);
        Checks.check(
                Double.isFinite(weightDecay) && weightDecay >= 0,
                "--weight-decay must be a finite number >= 0, got %s",
                weightDecay);
        Path out = training.common.outOr("schedule-free");
        ScheduleFreeResult result =
                ScheduleFreeExperiment.run(training.settings(), epochs, lr, warmupSteps, weightDecay);
        return Outputs.write(out, result);
    }
}
