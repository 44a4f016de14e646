package io.github.luzj.examples.cli;

import io.github.luzj.examples.chapter.LrFinderExperiment;
import io.github.luzj.examples.chapter.LrSweepResult;
import io.github.luzj.lrfinder.Suggestion;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The chapter's 17.2.1, {@link LrFinderExperiment}. */
@Command(
        name = "lr-finder",
        mixinStandardHelpOptions = true,
        description = "Sweep the learning rate log-spaced over some batches and plot the loss.")
final class LrFinderCommand implements Callable<Integer> {

    @Mixin CommonOptions common;

    @Option(names = "--start-lr", paramLabel = "LR", defaultValue = "1e-4", description = "First learning rate (default: ${DEFAULT-VALUE}).")
    double startLr;

    @Option(names = "--end-lr", paramLabel = "LR", defaultValue = "0.3", description = "Last learning rate (default: ${DEFAULT-VALUE}).")
    double endLr;

    @Option(names = "--steps", paramLabel = "N", defaultValue = LrFinderExperiment.DEFAULT_STEPS, description = "Batches in the sweep (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--beta", paramLabel = "B", defaultValue = LrFinderExperiment.DEFAULT_BETA, description = "Smoothing of the loss (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--linear", description = "Space the learning rates linearly instead of log-spaced.")
    boolean linear;

    @Option(names = "--stop-on-divergence", description = "Stop once the smoothed loss exceeds 4x its minimum.")
    boolean stopOnDivergence;

    @Override
    public Integer call() {
        common.validate();
        Path out = common.outOr("lr-finder");
        LrSweepResult result =
                LrFinderExperiment.run(
                        common.settings(),
                        new LrFinderExperiment.Sweep(startLr, endLr, steps, beta, !linear, stopOnDivergence));
        Outputs.write(out, result);
        if (!common.quiet) {
            for (Suggestion s : result.finder().suggestions()) {
                System.out.println("Suggested lr (" + s.label() + ")");
            }
        }
        System.out.printf(Locale.ROOT, "Wrote %s (%d steps)%n", out.resolve("lr_finder.csv"), result.finder().steps());
        return 0;
    }
}
