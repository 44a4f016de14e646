package io.github.luzj.examples.chapter;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.OutputSet;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.checkpoint.Checkpoint;
import io.github.luzj.checkpoint.CheckpointLock;
import io.github.luzj.fit.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A checkpoint after every epoch (and on Ctrl-C) in {@code dir/last}, resuming from it, and the
 * rules that keep what the user saved: a fresh run never replaces an earlier run's checkpoint
 * unless told to, and luzj never touches a folder it did not write.
 *
 * @param dir the checkpoint folder, null for no checkpoints
 * @param resume continue from {@code dir/last}
 * @param overwrite replace an earlier run's checkpoint in {@code dir}
 */
public record Checkpointing(Path dir, boolean resume, boolean overwrite) {

    /** No checkpoints. */
    public static final Checkpointing NONE = new Checkpointing(null, false, false);

    /** The checkpoint's folder name inside the checkpoint folder. */
    public static final String LAST = "last";

    Path last() {
        return dir == null ? null : dir.resolve(LAST);
    }

    /** Checks the settings against what is on disk before any work is done; nothing is touched. */
    public void validate() {
        Checks.check(
                !(resume && overwrite),
                "--resume continues the checkpoint and --overwrite replaces it; pass one of them");
        if (dir == null) {
            Checks.check(!resume, "--resume needs --checkpoint-dir, the folder the first run wrote");
            Checks.check(!overwrite, "--overwrite needs --checkpoint-dir");
            return;
        }
        Checks.check(
                !Files.exists(dir) || Files.isDirectory(dir),
                "--checkpoint-dir %s is a file, not a folder; luzj leaves it alone: pass a folder",
                dir);
        OutputSet.checkWritable(dir, "--checkpoint-dir");
        Checkpoint.checkWritable(last());
        boolean exists = Checkpoint.exists(last());
        if (resume) {
            Checks.check(
                    exists,
                    "--resume: no checkpoint at %s; run once with --checkpoint-dir %s first",
                    last(),
                    dir);
        } else if (exists && !overwrite) {
            String what;
            try {
                what = Checkpoint.info(last()).describe();
            } catch (LuzjException e) {
                what = "it cannot be read: " + e.getMessage();
            }
            throw new LuzjException(
                    "--checkpoint-dir " + dir + " holds a checkpoint of an earlier run (" + what
                            + "); pass --resume to continue it or --overwrite to replace it");
        }
    }

    /** Locks the checkpoint folder for this run, or returns null without a folder. */
    CheckpointLock lock() {
        return dir == null ? null : CheckpointLock.acquire(last());
    }

    /** Adds the resume point and the overwrite permission to the fit's options. */
    FitOptions.Builder apply(FitOptions.Builder b) {
        if (resume) {
            b.resumeFrom(last());
        }
        return b.overwriteCheckpoints(overwrite);
    }

    /** The callbacks that write checkpoints: after every epoch, and when Ctrl-C is pressed. */
    List<Callback> callbacks(Interruption interruption, String resumeHint) {
        List<Callback> cbs = new ArrayList<>();
        Path last = last();
        if (last != null) {
            cbs.add(
                    new WeightedCallback(
                            Callback.on(Phase.EPOCH_END, ctx -> ctx.saveCheckpoint(last)), 100));
        }
        cbs.add(interruption.callback(last, resumeHint));
        return cbs;
    }
}
