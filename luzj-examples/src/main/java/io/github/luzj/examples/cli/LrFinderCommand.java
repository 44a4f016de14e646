package io.github.luzj.examples;

import ai.djl.training.loss.Loss;
import com.google.gson.JsonObject;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.data.DataLoader;
import io.github.luzj.io.OutputSet;
import io.github.luzj.lrfinder.LrFinder;
import io.github.luzj.lrfinder.LrFinderPlot;
import io.github.luzj.lrfinder.LrFinderResult;
import io.github.luzj.lrfinder.Suggestion;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.ChapterConvNet;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The chapter's 17.2.1: the LR finder on the batch-norm convnet with Adam and augmentation. */
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

    @Option(names = "--steps", paramLabel = "N", defaultValue = "100", description = "Batches in the sweep (default: ${DEFAULT-VALUE}).")
    int steps;

    @Option(names = "--beta", paramLabel = "B", defaultValue = "0.9", description = "Smoothing of the loss (default: ${DEFAULT-VALUE}).")
    double beta;

    @Option(names = "--linear", description = "Space the learning rates linearly instead of log-spaced.")
    boolean linear;

    @Option(names = "--stop-on-divergence", description = "Stop once the smoothed loss exceeds 4x its minimum.")
    boolean stopOnDivergence;

    @Override
    public Integer call() {
        common.validate();
        Path out = common.outOr("lr-finder");
        LrFinder finder =
                LrFinder.builder()
                        .startLr(startLr)
                        .endLr(endLr)
                        .steps(steps)
                        .beta(beta)
                        .logSpaced(!linear)
                        .stopOnDivergence(stopOnDivergence)
                        .seed(common.seed)
                        .build();
        ChapterData data = ChapterData.load(common);
        DataLoader train = data.trainLoader(common, ChapterData.augmentation());
        SetupModel setup =
                Luz.setup(ChapterConvNet.create(true), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .device(common.device());
        long start = System.nanoTime();
        LrFinderResult result = finder.run(setup, train);
        double seconds = (System.nanoTime() - start) / 1e9;
        JsonObject suggestions = new JsonObject();
        for (Suggestion s : result.suggestions()) {
            suggestions.addProperty(s.name(), s.lr());
        }
        Summary summary = new Summary()
                .put("command", "lr-finder")
                .put("start_lr", startLr)
                .put("end_lr", endLr)
                .put("steps", steps)
                .put("steps_run", result.steps())
                .put("log_spaced", !linear)
                .put("beta", beta)
                .put("stop_reason", result.stopReason().toString())
                .put("train_samples", train.sampleCount())
                .put("seconds", seconds)
                .put("suggestions", suggestions);
        OutputSet.write(out, stage -> {
            result.writeCsv(stage.resolve("lr_finder.csv"));
            LrFinderPlot.defaults().writePng(result, stage.resolve("lr_finder.png"));
            LrFinderPlot.defaults().writeSvg(result, stage.resolve("lr_finder.svg"));
            summary.write(stage.resolve("summary.json"));
        });
        if (!common.quiet) {
            for (Suggestion s : result.suggestions()) {
                System.out.println("Suggested lr (" + s.label() + ")");
            }
        }
        System.out.printf(Locale.ROOT, "Wrote %s (%d steps)%n", out.resolve("lr_finder.csv"), result.steps());
        return 0;
    }
}
