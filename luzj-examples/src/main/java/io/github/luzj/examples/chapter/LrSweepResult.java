package io.github.luzj.examples.chapter;

import com.google.gson.JsonObject;
import io.github.luzj.lrfinder.LrFinderPlot;
import io.github.luzj.lrfinder.LrFinderResult;
import io.github.luzj.lrfinder.Suggestion;
import java.nio.file.Path;

/**
 * An {@code lr-finder} run: the sweep asked for and what the LR finder found.
 *
 * @param sweep the sweep's settings
 * @param finder the losses and suggested rates
 * @param trainSamples the training images swept over
 * @param seconds the sweep's wall time
 */
public record LrSweepResult(
        LrFinderExperiment.Sweep sweep, LrFinderResult finder, int trainSamples, double seconds)
        implements ExperimentResult {

    @Override
    public void write(Path dir) {
        JsonObject suggestions = new JsonObject();
        for (Suggestion s : finder.suggestions()) {
            suggestions.addProperty(s.name(), s.lr());
        }
        finder.writeCsv(dir.resolve("lr_finder.csv"));
        LrFinderPlot.defaults().writePng(finder, dir.resolve("lr_finder.png"));
        LrFinderPlot.defaults().writeSvg(finder, dir.resolve("lr_finder.svg"));
        new Summary()
                .put("command", "lr-finder")
                .put("start_lr", sweep.startLr())
                .put("end_lr", sweep.endLr())
                .put("steps", sweep.steps())
                .put("steps_run", finder.steps())
                .put("log_spaced", sweep.logSpaced())
                .put("beta", sweep.beta())
                .put("stop_reason", finder.stopReason().toString())
                .put("train_samples", trainSamples)
                .put("seconds", seconds)
                .put("suggestions", suggestions)
                .write(dir.resolve("summary.json"));
    }

    @Override
    public boolean interrupted() {
        return false; // a sweep takes no Ctrl-C of its own: it ends the process
    }
}
