package io.github.luzj.callbacks;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.checkpoint.Checkpoint;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

/**
 * Keeps a checkpoint of the running fit in one folder so that a crashed or killed run can pick up
 * where it stopped (luz's {@code luz_callback_auto_resume}).
 *
 * <p>It overwrites the folder atomically at every epoch's end and, optionally, every
 * {@link #everyBatches(int) n} training batches, and deletes it when the fit reaches
 * {@code on_fit_end} (a fit that ends normally, early stopping included). Run the same program
 * again with {@code resumeFrom(AutoResume.resumePoint(dir))}: after a crash it resumes from the
 * folder, otherwise it starts afresh.
 *
 * <pre>{@code
 * Path dir = Path.of("runs/state");
 * FitOptions options = FitOptions.builder(train).valid(valid).epochs(10)
 *         .callbacks(LuzCallbacks.autoResume(dir))
 *         .resumeFrom(AutoResume.resumePoint(dir))
 *         .build();
 * }</pre>
 *
 * <p>The folder is the callback's alone: since it is overwritten at every save and deleted at the
 * end, a checkpoint anything else writes there (a {@link ModelCheckpoint} given the same folder,
 * a callback of yours) would be lost. So before each save and before deleting it checks that the
 * folder still holds what it last found or wrote there, and otherwise stops the fit with a
 * {@link LuzjException}, leaving the other writer's checkpoint in place.
 *
 * <p>Its weight is {@value #WEIGHT}, the highest of luzj's callbacks (luz gives it
 * {@code Inf}): at an epoch's end it runs last, so the saved state includes what every other
 * callback did at that phase.
 */
public final class AutoResume implements Callback {

    /** After every other callback at an epoch's end. */
    public static final int WEIGHT = 1000;

    private final Path dir;
    private final int everyBatches;
    /** Which write the folder held when this fit last looked ({@link Checkpoint#stamp}). */
    private Object seen;

    private AutoResume(Path dir, int everyBatches) {
        this.dir = Checks.notNull("dir", dir, "pass the folder to keep the run's state in");
        this.everyBatches = Checks.atLeast("everyBatches", everyBatches, 0);
    }

    /**
     * Keeps the state in {@code dir}, saved at every epoch's end.
     *
     * @param dir the folder; created when saved, deleted at a normal fit end
     * @return the callback
     */
    public static AutoResume create(Path dir) {
        return new AutoResume(dir, 0);
    }

    /**
     * Returns a copy that also saves every {@code n} training batches.
     *
     * @param n {@code >= 1}, or 0 for epoch ends only
     * @return the new callback
     */
    public AutoResume everyBatches(int n) {
        return new AutoResume(dir, n);
    }

    /**
     * Returns {@code dir} when it holds a checkpoint, for
     * {@link io.github.luzj.fit.FitOptions.Builder#resumeFrom}; a fresh start otherwise.
     *
     * @param dir the folder given to {@link #create}
     * @return {@code dir}, or null when there is nothing to resume
     */
    public static Path resumePoint(Path dir) {
        Checks.notNull("dir", dir, "pass the folder given to AutoResume.create");
        return Checkpoint.exists(dir) ? dir : null;
    }

    /**
     * Returns the folder.
     *
     * @return the folder
     */
    public Path dir() {
        return dir;
    }

    @Override
    public Set<Phase> callOn() {
        return everyBatches > 0
                ? EnumSet.of(Phase.FIT_BEGIN, Phase.TRAIN_BATCH_END, Phase.EPOCH_END,
                        Phase.FIT_END)
                : EnumSet.of(Phase.FIT_BEGIN, Phase.EPOCH_END, Phase.FIT_END);
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    public void on(Phase phase, Context ctx) {
        switch (phase) {
            case FIT_BEGIN -> seen = current();
            case TRAIN_BATCH_END -> {
                int done = ctx.batchIndex() + 1;
                // the epoch's last batch is saved at the epoch's end, with its metrics
                if (done % everyBatches == 0 && done < ctx.trainBatches()) {
                    save(ctx);
                }
            }
            case EPOCH_END -> save(ctx);
            case FIT_END -> {
                checkOnlyWriter("deleted");
                delete();
            }
            default -> { }
        }
    }

    private void save(Context ctx) {
        checkOnlyWriter("overwritten");
        ctx.saveCheckpoint(dir);
        seen = current();
    }

    private Object current() {
        return Checkpoint.stamp(dir); // from the file system: checkpoint.json is not read
    }

    private void checkOnlyWriter(String fate) {
        Object now = current();
        if (!Objects.equals(now, seen)) {
            String what = describe();
            throw new LuzjException(
                    "the resume folder " + dir + " now holds a checkpoint AutoResume did not write ("
                            + what + "): something else in this fit saves there, a ModelCheckpoint"
                            + " given the same folder or a callback of yours, and AutoResume would"
                            + " have " + fate + " it; give AutoResume a folder of its own");
        }
    }

    /** The other writer's checkpoint, for the message, read only then. */
    private String describe() {
        try {
            return Checkpoint.info(dir).describe();
        } catch (LuzjException e) {
            return "a checkpoint";
        }
    }

    private void delete() {
        try {
            Checkpoint.delete(dir); // luzj's files only: anything else in the folder stays
        } catch (LuzjException e) {
            throw new LuzjException(
                    "the fit ended but its resume folder " + dir + " cannot be deleted: "
                            + e.getMessage() + "; delete it by hand, or the next run resumes"
                            + " from it", e);
        }
    }
}
