package io.github.luzj.examples;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.callback.Callback;
import io.github.luzj.LuzjException;
import io.github.luzj.callbacks.LuzCallbacks;
import io.github.luzj.callbacks.TerminateOnNaN;
import io.github.luzj.data.DataLoader;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.record.HistoryPlot;
import io.github.luzj.record.Records;
import io.github.luzj.record.RecordsCsv;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One supervised run of an experiment: set up, fit with an epoch timer, then write
 * {@code history.csv}, {@code history.png} and the common part of {@code summary.json}.
 */
final class TrainingRun {

    final FittedModel fitted;
    final List<Double> epochSeconds;
    final int trainSamples;
    final boolean interrupted;

    private TrainingRun(
            FittedModel fitted, List<Double> epochSeconds, int trainSamples, boolean interrupted) {
        this.fitted = fitted;
        this.epochSeconds = epochSeconds;
        this.trainSamples = trainSamples;
        this.interrupted = interrupted;
    }

    static TrainingRun fit(
            CommonOptions o,
            Block block,
            OptimizerSpec optimizer,
            DataLoader train,
            DataLoader valid,
            int epochs,
            CheckpointOptions checkpoints,
            String resumeHint,
            java.util.Map<String, ?> settings,
            Callback... callbacks) {
        EpochTimer timer = new EpochTimer();
        checkpoints.validate();
        try (io.github.luzj.io.CheckpointLock lock = checkpoints.lock();
                Interruption interruption = new Interruption()) {
            List<Callback> all = new ArrayList<>(List.of(callbacks));
            all.add(timer);
            TerminateOnNaN nan = LuzCallbacks.terminateOnNaN();
            all.add(nan); // a diverged run stops with a clear message
            all.addAll(checkpoints.callbacks(interruption, resumeHint));
            FitOptions.Builder builder = FitOptions.builder(train);
            // a resume must run with these, or it would silently continue another experiment
            settings.forEach(builder::config);
            FitOptions options =
                    checkpoints
                            .apply(builder)
                            .valid(valid)
                            .epochs(epochs)
                            .seed(o.seed)
                            .verbose(!o.quiet)
                            .callbacks(all)
                            .build();
            FittedModel fitted =
                    Luz.setup(block, Loss.softmaxCrossEntropyLoss(), optimizer, Metrics.accuracy())
                            .device(o.device())
                            .fit(options);
            if (nan.message() != null) {
                fitted.close();
                throw new LuzjException(nan.message());
            }
            return new TrainingRun(
                    fitted, timer.seconds(), train.sampleCount(), interruption.happened());
        }
    }

    /** The process's exit code: 130 (as a shell reports Ctrl-C) when interrupted. */
    int exitCode() {
        return interrupted ? 130 : 0;
    }

    /** Writes history.csv and history.png, and returns the summary's common fields. */
    Summary writeOutputs(Path out, String command) {
        Records r = fitted.records();
        RecordsCsv.writeHistory(r, out.resolve("history.csv"));
        HistoryPlot.defaults().writePng(r, out.resolve("history.png"));
        // epochs timed in this process only: a resumed run does not time the epochs before it
        double trainSeconds = epochSeconds.stream().mapToDouble(Double::doubleValue).sum();
        // as R prints a module: weights and biases, not BatchNorm's running statistics
        long parameters =
                fitted.block().getParameters().stream()
                        .filter(p -> p.getValue().getType() != Parameter.Type.RUNNING_MEAN
                                && p.getValue().getType() != Parameter.Type.RUNNING_VAR)
                        .mapToLong(p -> p.getValue().getArray().size())
                        .sum();
        return new Summary()
                .put("command", command)
                .put("epochs", r.epochs())
                .put("train_samples", trainSamples)
                .put("valid_accuracy", lastOrNaN(r, Records.VALID, "acc"))
                .put("valid_loss", lastOrNaN(r, Records.VALID, "loss"))
                .put("train_accuracy", lastOrNaN(r, Records.TRAIN, "acc"))
                .put("train_loss", lastOrNaN(r, Records.TRAIN, "loss"))
                .put("epoch_seconds", epochSeconds)
                .put("train_samples_per_second", trainSamples * epochSeconds.size() / trainSeconds)
                .put("parameters", parameters)
                .put("interrupted", interrupted)
                .put("stop_reason", fitted.stopReason() == null ? "" : fitted.stopReason());
    }

    /** The last value of a metric, NaN when a run interrupted early never recorded it. */
    static double lastOrNaN(Records r, String set, String metric) {
        return r.has(set, metric) ? r.last(set, metric) : Double.NaN;
    }
}
