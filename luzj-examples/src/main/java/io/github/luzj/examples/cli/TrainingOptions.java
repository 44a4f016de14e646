package io.github.luzj.examples.cli;

import io.github.luzj.examples.chapter.RunSettings;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options of every command that trains: the common ones, checkpoints, and
 * {@code --tensorboard DIR} for a TensorBoard event file of the run's scalars.
 */
final class TrainingOptions {

    @Mixin CommonOptions common;

    @Mixin CheckpointOptions checkpoints;

    @Option(
            names = "--tensorboard",
            paramLabel = "DIR",
            description = "Also write TensorBoard logs (per-epoch metrics, per-step lr) into DIR; view with 'tensorboard --logdir DIR'.")
    Path tensorboard;

    /** Checks the common options and the checkpoint options against the disk. */
    void validate() {
        common.validate();
        checkpoints.settings().validate();
    }

    RunSettings settings() {
        return common.settings(checkpoints.settings(), tensorboard);
    }
}
