package io.github.luzj.examples.chapter;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callbacks.LuzCallbacks;
import io.github.luzj.callbacks.TerminateOnNaN;
import io.github.luzj.checkpoint.CheckpointLock;
import io.github.luzj.data.DataLoader;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.OptimizerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One supervised fit of an experiment: set up, fit with an epoch timer, checkpoints, Ctrl-C
 * handling and a stop on NaN; the fitted model stays open for more training until
 * {@link #finish} takes its {@link TrainingResult} and closes it.
 */
final class TrainingRun {

    private final FittedModel fitted;
    private final List<Double> epochSeconds;
    private final int trainSamples;
    private final boolean interrupted;

    private TrainingRun(
            FittedModel fitted, List<Double> epochSeconds, int trainSamples, boolean interrupted) {
        this.fitted = fitted;
        this.epochSeconds = epochSeconds;
        this.trainSamples = trainSamples;
        this.interrupted = interrupted;
    }

    /**
     * Fits {@code block} with the chapter's loss and accuracy.
     *
     * @param run the data, seed, device and checkpoint settings
     * @param command the CLI command, for the resume hint Ctrl-C prints
     * @param config the settings a resume must be given again, stored in the checkpoint
     * @param callbacks more callbacks, before the TensorBoard logger when there is one
     */
    static TrainingRun fit(
            RunSettings run,
            Block block,
            OptimizerSpec optimizer,
            DataLoader train,
            DataLoader valid,
            int epochs,
            String command,
            Map<String, ?> config,
            Callback... callbacks) {
        EpochTimer timer = new EpochTimer();
        Checkpointing checkpoints = run.checkpoints();
        checkpoints.validate();
        String resumeHint = "java -jar luzj-examples.jar " + command + " ... --checkpoint-dir "
                + checkpoints.dir() + " --resume";
        try (CheckpointLock lock = checkpoints.lock();
                Interruption interruption = new Interruption()) {
            List<Callback> all = new ArrayList<>(List.of(callbacks));
            if (run.tensorboard() != null) {
                all.add(LuzCallbacks.tensorboard(run.tensorboard()));
            }
            all.add(timer);
            TerminateOnNaN nan = LuzCallbacks.terminateOnNaN();
            all.add(nan); // a diverged run stops with a clear message
            all.addAll(checkpoints.callbacks(interruption, resumeHint));
            FitOptions.Builder builder = FitOptions.builder(train);
            // a resume must run with these, or it would silently continue another experiment
            config.forEach(builder::config);
            FitOptions options =
                    checkpoints
                            .apply(builder)
                            .valid(valid)
                            .epochs(epochs)
                            .seed(run.seed())
                            .verbose(!run.quiet())
                            .callbacks(all)
                            .build();
            FittedModel fitted =
                    Luz.setup(block, Loss.softmaxCrossEntropyLoss(), optimizer, Metrics.accuracy())
                            .device(run.device())
                            .fit(options);
            if (nan.message() != null) {
                fitted.close();
                throw new LuzjException(nan.message());
            }
            return new TrainingRun(
                    fitted, timer.seconds(), train.sampleCount(), interruption.happened());
        }
    }

    FittedModel fitted() {
        return fitted;
    }

    boolean interrupted() {
        return interrupted;
    }

    /** Takes what the fit produced and closes the model. */
    TrainingResult finish() {
        try (fitted) {
            // as R prints a module: weights and biases, not BatchNorm's running statistics
            long parameters =
                    fitted.block().getParameters().stream()
                            .filter(p -> p.getValue().getType() != Parameter.Type.RUNNING_MEAN
                                    && p.getValue().getType() != Parameter.Type.RUNNING_VAR)
                            .mapToLong(p -> p.getValue().getArray().size())
                            .sum();
            return new TrainingResult(
                    fitted.records(),
                    epochSeconds,
                    trainSamples,
                    parameters,
                    interrupted,
                    fitted.stopReason() == null ? "" : fitted.stopReason());
        }
    }
}
