package io.github.luzj.callbacks;

import io.github.luzj.base.Checks;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.ParamGroup;
import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes a TensorBoard event file (luz's {@code luz_callback_tfevents}, Lightning's
 * {@code TensorBoardLogger}): per epoch the scalars {@code train/<metric>} and
 * {@code valid/<metric>} at step = epoch, per optimizer step {@code lr} (or
 * {@code lr/<group>} with several parameter groups) at step = the global step. One new file
 * per fit in {@code dir}, flushed at every epoch's end, so that
 * {@code tensorboard --logdir dir} shows the run while it trains.
 *
 * <pre>{@code
 * var tb = LuzCallbacks.tensorboard(Path.of("runs/one-cycle"));
 * }</pre>
 */
public final class TensorBoardLogger implements Callback {

    private final Path dir;
    private EventFileWriter writer;

    private TensorBoardLogger(Path dir) {
        Checks.check(dir != null, "the TensorBoard log folder is null; pass a folder");
        this.dir = dir;
    }

    /**
     * A logger writing into {@code dir}.
     *
     * @param dir the log folder, created if missing
     * @return the callback
     */
    public static TensorBoardLogger of(Path dir) {
        return new TensorBoardLogger(dir);
    }

    /**
     * Returns the log folder.
     *
     * @return the folder
     */
    public Path dir() {
        return dir;
    }

    /**
     * Returns the event file of the current or last fit.
     *
     * @return the file, or null before the first fit
     */
    public Path file() {
        return writer == null ? null : writer.file();
    }

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(
                Phase.FIT_BEGIN, Phase.TRAIN_BATCH_AFTER_STEP, Phase.EPOCH_END, Phase.FIT_END);
    }

    @Override
    public int weight() {
        return 100; // after schedulers and monitors have done their epoch-end work
    }

    @Override
    public void on(Phase phase, Context ctx) {
        switch (phase) {
            case FIT_BEGIN -> {
                if (writer != null) {
                    writer.close();
                }
                writer = EventFileWriter.create(dir);
            }
            case TRAIN_BATCH_AFTER_STEP -> {
                List<ParamGroup> groups = ctx.optimizer().groups();
                for (ParamGroup g : groups) {
                    String tag = groups.size() == 1 ? "lr" : "lr/" + g.name();
                    writer.scalar(tag, g.lr(), ctx.globalStep());
                }
            }
            case EPOCH_END -> {
                for (String set : List.of(Records.TRAIN, Records.VALID)) {
                    for (Map.Entry<String, Double> m : ctx.metrics(set).entrySet()) {
                        writer.scalar(set + "/" + m.getKey(), m.getValue(), ctx.epoch());
                    }
                }
                writer.flush();
            }
            case FIT_END -> writer.close();
            default -> { }
        }
    }

    @Override
    public String name() {
        return "TensorBoardLogger(" + dir + ")";
    }
}
