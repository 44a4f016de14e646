package io.github.luzj.callbacks;

import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.record.Records;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a checkpoint at the end of every epoch, or only of those that improve the monitored
 * metric (luz's {@code luz_callback_model_checkpoint}, Keras's {@code ModelCheckpoint}).
 *
 * <p>Each checkpoint is a folder written by {@link Context#saveCheckpoint} (weights, BatchNorm
 * statistics, optimizer, records, position and every callback's state), atomically: a crash
 * mid-write leaves the previous folder intact. Resume from one with
 * {@link io.github.luzj.fit.FitOptions.Builder#resumeFrom}. With an
 * {@link ExponentialMovingAverage} the monitor judges the average, and the folder holds the live
 * weights with the average in the EMA's state: resumed with {@code epochs} set to its epoch, the
 * fit trains nothing and ends with the average that was validated.
 *
 * <p>The path is a template: {@code {epoch}}, {@code {monitor}} (the monitored value) and any
 * recorded metric such as {@code {valid_loss}} or {@code {train_acc}} are filled in, with an
 * optional format as in luz ({@code {epoch:02d}}, {@code {valid_loss:.4f}}). A path ending in
 * {@code /} gets luz's default name {@code epoch-{epoch:02d}-<monitor>-{monitor:.3f}}. Without
 * placeholders the same folder is overwritten, so with {@link #saveBestOnly(boolean)} it always
 * holds the best epoch.
 *
 * <p>It runs at weight {@value #WEIGHT} at an epoch's end, after the learning-rate scheduler
 * (weight 0) has stepped and after {@link EarlyStopping}, so that their saved states include
 * this epoch. An epoch whose monitored value is NaN (a diverged model, or training stopped in
 * the middle of the epoch so that validation was skipped) is not saved, so a good checkpoint is
 * never replaced by a broken one.
 *
 * <pre>{@code
 * ModelCheckpoint ckpt = LuzCallbacks.modelCheckpoint("runs/epoch-{epoch:02d}-{valid_loss:.4f}")
 *         .saveBestOnly(true);
 * }</pre>
 */
public final class ModelCheckpoint extends MonitorCallback<ModelCheckpoint> {

    /** After the scheduler (0) and early stopping ({@value EarlyStopping#WEIGHT}). */
    public static final int WEIGHT = 100;


    /**
     * A checkpoint this callback wrote.
     *
     * @param epoch the epoch
     * @param path the folder
     * @param value the monitored value at that epoch
     */
    public record Saved(int epoch, Path path, double value) {}

    private final String rawPath;
    private final PathTemplate path;
    /** Whether {@link #path} is luz's default name under a folder, which names the monitor. */
    private final boolean defaultName;
    private final boolean saveBestOnly;
    private final List<Saved> saved = new ArrayList<>();

    private ModelCheckpoint(String rawPath, Monitor monitor, boolean saveBestOnly) {
        super(monitor);
        this.rawPath = Checks.notNull("path", rawPath, "pass a folder such as 'runs/best'");
        this.defaultName = rawPath.endsWith("/") || rawPath.endsWith(File.separator);
        this.path = defaultName ? defaultTemplate(rawPath, monitor.name()) : PathTemplate.parse(rawPath);
        this.saveBestOnly = saveBestOnly;
    }

    /**
     * luz's defaults: saves every epoch to {@code path}, monitoring {@code valid_loss} for
     * {@code {monitor}} and for {@link #saveBestOnly(boolean)}.
     *
     * @param path the folder, a template such as {@code "runs/epoch-{epoch:02d}"}
     * @return the callback
     */
    public static ModelCheckpoint create(String path) {
        return new ModelCheckpoint(path, Monitor.of("valid_loss"), false);
    }

    /**
     * Saves every epoch to folder {@code path}, which may hold placeholders.
     *
     * @param path the folder
     * @return the callback
     */
    public static ModelCheckpoint create(Path path) {
        return create(Checks.notNull("path", path, "pass a folder such as Path.of(\"runs/best\")")
                .toString());
    }

    /**
     * Returns a copy that saves only epochs improving the monitored metric.
     *
     * @param saveBestOnly true to skip epochs that do not improve
     * @return the new callback
     */
    public ModelCheckpoint saveBestOnly(boolean saveBestOnly) {
        return new ModelCheckpoint(rawPath, monitor(), saveBestOnly);
    }

    /**
     * Tells whether only improving epochs are saved.
     *
     * @return the setting
     */
    public boolean saveBestOnly() {
        return saveBestOnly;
    }

    /**
     * Returns the path template, with luz's default name appended to a path ending in
     * {@code /}.
     *
     * @return the template
     */
    public String pathTemplate() {
        return path.template();
    }

    /**
     * Returns the checkpoints written in the current or last fit, oldest first; a folder written
     * twice (a template without {@code {epoch}}) is listed once, with its latest epoch.
     *
     * @return the checkpoints
     */
    public List<Saved> saved() {
        return Collections.unmodifiableList(saved);
    }

    /**
     * Returns the checkpoint written last, even by the run a fit resumed from.
     *
     * @return the last checkpoint, or null when none was written
     */
    public Saved lastSaved() {
        return saved.isEmpty() ? null : saved.get(saved.size() - 1);
    }

    @Override
    protected ModelCheckpoint withMonitor(Monitor monitor) {
        return new ModelCheckpoint(rawPath, monitor, saveBestOnly);
    }

    @Override
    public int weight() {
        return WEIGHT;
    }

    /** luz's default folder name: the epoch, the monitored metric's name and its value. */
    private static PathTemplate defaultTemplate(String folder, String monitored) {
        return PathTemplate.parse(folder + "epoch-{epoch:02d}-" + monitored + "-{monitor:.3f}");
    }

    /**
     * The template this epoch's folder is named by: the default name says the metric actually
     * monitored (train_loss when a fit without validation falls back to it), not the one asked for.
     */
    private PathTemplate template(Context ctx) {
        String monitored = monitoredName(ctx);
        return defaultName && !monitored.equals(monitor().name())
                ? defaultTemplate(rawPath, monitored)
                : path;
    }

    @Override
    protected void resetState() {
        saved.clear();
    }

    @Override
    protected void handle(Phase phase, Context ctx) {
        if (phase == Phase.FIT_BEGIN) {
            // a placeholder's metric, like the monitor's, is checked before any training
            for (String field : path.metricPlaceholders()) {
                MonitoredMetric.requireRecorded(ctx, field.substring(field.indexOf('_') + 1),
                        name() + "'s path template '" + path.template() + "' names {" + field + "}",
                        "name");
            }
        }
        if (phase != Phase.EPOCH_END) {
            return;
        }
        double value = monitored(ctx);
        boolean improved = observe(value, ctx.epoch());
        if (Double.isNaN(value)) {
            ctx.warn(name() + " does not save epoch " + ctx.epoch() + ": " + monitoredName(ctx)
                    + " is NaN (the model diverged, or training stopped mid-epoch and validation"
                    + " was skipped)");
            return;
        }
        if (saveBestOnly && !improved) {
            return;
        }
        Path dir = template(ctx).resolve(ctx.epoch(), values(ctx, value));
        Saved entry = new Saved(ctx.epoch(), dir, value);
        Saved replaced = saved.stream().filter(s -> s.path().equals(dir)).findFirst().orElse(null);
        // the same epoch again is an epoch cut short and finished after a resume, not a collision
        if (replaced != null && replaced.epoch() != ctx.epoch() && path.hasPlaceholders()) {
            ctx.warn(name() + " writes epoch " + ctx.epoch() + " into " + dir + ", where it saved"
                    + " epoch " + replaced.epoch() + ", replacing it: the template's values"
                    + " repeat; put {epoch} in it to keep every epoch");
        }
        int replacedAt = saved.indexOf(replaced);
        saved.remove(replaced); // no longer in its folder
        saved.add(entry); // first, so that the state inside this checkpoint names it
        try {
            ctx.saveCheckpoint(dir);
        } catch (RuntimeException e) {
            saved.remove(entry);
            if (replaced != null) {
                saved.add(replacedAt, replaced); // the write failed: the earlier one is there
            }
            throw e;
        }
    }

    private static Map<String, Double> values(Context ctx, double monitored) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("monitor", monitored);
        for (String set : List.of(Records.TRAIN, Records.VALID)) {
            ctx.metrics(set).forEach((metric, v) -> values.put(set + "_" + metric, v));
        }
        return values;
    }

    @Override
    protected void writeState(JsonObject state) {
        Saved last = lastSaved();
        if (last != null) {
            JsonObject o = new JsonObject();
            o.addProperty("epoch", last.epoch());
            o.addProperty("path", last.path().toString());
            o.addProperty("value", last.value());
            state.add("last_saved", o);
        }
    }

    @Override
    protected void readState(JsonObject state) {
        saved.clear();
        if (state.has("last_saved")) {
            JsonObject o = state.getAsJsonObject("last_saved");
            saved.add(new Saved(
                    epoch(o.get("epoch"), "last_saved.epoch"),
                    Path.of(o.get("path").getAsString()),
                    o.get("value").getAsDouble()));
        }
    }
}
