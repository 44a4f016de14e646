package io.github.luzj.examples;

import io.github.luzj.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Callbacks;
import io.github.luzj.callback.Phase;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.io.Checkpoint;
import io.github.luzj.io.OutputSet;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * {@code --checkpoint-dir} and {@code --resume}: a checkpoint after every epoch (and on Ctrl-C),
 * and resuming from it.
 */
final class CheckpointOptions {

    /** The checkpoint's folder name inside {@code --checkpoint-dir}. */
    static final String LAST = "last";

    @Option(
            names = "--checkpoint-dir",
            paramLabel = "DIR",
            description = "Write a checkpoint to DIR/last after every epoch and on Ctrl-C.")
    Path dir;

    @Option(
            names = "--resume",
            description = "Resume from DIR/last of --checkpoint-dir; --epochs counts from the original start.")
    boolean resume;

    Path last() {
        return dir == null ? null : dir.resolve(LAST);
    }

    /** Adds the resume point to the fit's options, checking it exists. */
    FitOptions.Builder apply(FitOptions.Builder b) {
        if (dir != null) {
            OutputSet.checkWritable(dir, "--checkpoint-dir");
        }
        if (resume) {
            LuzjException.check(
                    dir != null, "--resume needs --checkpoint-dir, the folder the first run wrote");
            LuzjException.check(
                    Checkpoint.exists(last()),
                    "--resume: no checkpoint at %s; run once with --checkpoint-dir %s first",
                    last(),
                    dir);
            b.resumeFrom(last());
        }
        return b;
    }

    /** The callbacks that write checkpoints: after every epoch, and when Ctrl-C is pressed. */
    List<Callback> callbacks(Interruption interruption, String resumeHint) {
        List<Callback> cbs = new ArrayList<>();
        Path last = last();
        if (last != null) {
            cbs.add(
                    new WeightedCallback(
                            Callbacks.on(Phase.EPOCH_END, ctx -> ctx.saveCheckpoint(last)), 100));
        }
        cbs.add(interruption.callback(last, resumeHint));
        return cbs;
    }
}
