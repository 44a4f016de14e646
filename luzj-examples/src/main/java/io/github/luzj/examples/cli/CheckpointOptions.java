package io.github.luzj.examples.cli;

import io.github.luzj.examples.chapter.Checkpointing;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint-dir}, {@code --resume} and {@code --overwrite}: a checkpoint after every
 * epoch (and on Ctrl-C), and resuming from it; {@link Checkpointing} keeps the rules.
 */
final class CheckpointOptions {

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description = "Write a checkpoint to DIR/last after every epoch and on Ctrl-C.")
    Path dir;

    @Option(
            names = "--resume",
            description = "Resume from DIR/last of --checkpoint-dir; --epochs counts from the original start.")
    boolean resume;

    @Option(
            names = "--overwrite",
            description = "Replace the checkpoint of an earlier run in --checkpoint-dir (kept otherwise).")
    boolean overwrite;

    Checkpointing settings() {
        return new Checkpointing(dir, resume, overwrite);
    }
}
