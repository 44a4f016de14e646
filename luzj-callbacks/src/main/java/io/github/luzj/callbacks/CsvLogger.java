package io.github.luzj.callbacks;

import io.github.luzj.base.Checks;
import io.github.luzj.base.InputFiles;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.record.RecordsCsv;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;

/**
 * Writes the metrics to a CSV file as training goes, one row per epoch (luz's
 * {@code luz_callback_csv_logger}, Keras's {@code CSVLogger}):
 * {@code epoch,train_loss,train_acc,valid_loss,valid_acc}.
 *
 * <p>At every epoch's end the whole file is rewritten atomically from the model's records, so a
 * crash never leaves a half-written line, a column that appears later (a metric recorded from
 * some epoch on) is simply added, and the file always matches the records: a model fit again
 * keeps the earlier fits' rows, and a fit resumed from a checkpoint the rows of the run it
 * resumed. Numbers are written with the fewest digits that read back exactly; a value not
 * recorded at an epoch is an empty cell, and a set whose epoch was cut short by a stop shows
 * {@code NaN}.
 *
 * <pre>{@code
 * CsvLogger log = LuzCallbacks.csvLogger(Path.of("runs/history.csv"));
 * }</pre>
 */
public final class CsvLogger implements Callback {

    /** After schedulers; the records are complete before any callback runs at epoch end. */
    public static final int WEIGHT = 10;

    private final Path path;

    private CsvLogger(Path path) {
        this.path = Checks.notNull("path", path, "pass the CSV file to write");
    }

    /**
     * Logs to {@code path}.
     *
     * @param path the CSV file; its folder is created when missing
     * @return the callback
     */
    public static CsvLogger create(Path path) {
        return new CsvLogger(path);
    }

    /**
     * Returns the file written.
     *
     * @return the path
     */
    public Path path() {
        return path;
    }

    @Override
    public Set<Phase> callOn() {
        return EnumSet.of(Phase.FIT_BEGIN, Phase.EPOCH_END);
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    @Override
    public void on(Phase phase, Context ctx) {
        if (phase == Phase.FIT_BEGIN) {
            refuseForeignFile();
        } else {
            RecordsCsv.writeHistory(ctx.records(), path);
        }
    }

    /**
     * A file already at the path is rewritten only when it is a history luzj wrote (its first line
     * the {@code epoch} header): before any training, so a user's file is never replaced.
     */
    private void refuseForeignFile() {
        if (Files.isDirectory(path)) {
            throw new LuzjException(
                    "the CSV log " + path + " is a folder; pass csvLogger the path of a file (in"
                            + " it, for example " + path.resolve("history.csv") + ")");
        }
        if (!Files.isRegularFile(path)) {
            return; // missing
        }
        byte[] start;
        try (InputStream in = Files.newInputStream(path)) {
            start = in.readNBytes(4096);
        } catch (IOException e) {
            throw InputFiles.unreadable(path, "CSV log", e);
        }
        String first = new String(start, StandardCharsets.UTF_8).lines().findFirst().orElse("");
        if (start.length > 0 && !first.equals("epoch") && !first.startsWith("epoch,")) {
            throw new LuzjException("the CSV log " + path + " already holds a file that is not a luzj"
                    + " history (its first line is '" + Checks.echo(first) + "'), and luzj leaves it"
                    + " alone; pass another file to csvLogger, or move that one away");
        }
    }
}
