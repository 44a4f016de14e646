package io.github.luzj.record;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.LuzjException;

/**
 * Records as JSON, the one form a saved model's {@code records.json} and a checkpoint's
 * {@code checkpoint.json} store them in: {@code "metrics"} rows {@code [set, metric, epoch, value]}
 * and {@code "steps"} rows {@code [step, epoch, group, lr, momentum]}.
 */
public final class RecordsJson {

    /** The key of the metric rows. */
    public static final String METRICS = "metrics";

    /** The key of the step rows. */
    public static final String STEPS = "steps";

    private RecordsJson() {}

    /**
     * Adds the records' rows to {@code root}: the metrics of epochs up to {@code lastEpoch} (an
     * epoch cut short is left out, a resumed run records it whole) and the steps up to
     * {@code lastStep}.
     *
     * @param records the records
     * @param lastEpoch the last epoch to write
     * @param lastStep the last step to write
     * @param root the JSON object to add {@value #METRICS} and {@value #STEPS} to
     */
    public static void write(Records records, int lastEpoch, long lastStep, JsonObject root) {
        JsonArray metrics = new JsonArray();
        for (Records.Entry e : records.entries()) {
            if (e.epoch() <= lastEpoch) {
                JsonArray row = new JsonArray();
                row.add(e.set());
                row.add(e.metric());
                row.add(e.epoch());
                row.add(e.value());
                metrics.add(row);
            }
        }
        root.add(METRICS, metrics);
        JsonArray steps = new JsonArray();
        for (Records.StepEntry s : records.steps()) {
            if (s.step() <= lastStep) {
                JsonArray row = new JsonArray();
                row.add(s.step());
                row.add(s.epoch());
                row.add(s.group());
                row.add(s.lr());
                row.add(s.momentum());
                steps.add(row);
            }
        }
        root.add(STEPS, steps);
    }

    /**
     * Reads the rows {@link #write} wrote back into {@code into}. Models saved by earlier luzj
     * versions hold their metrics as objects {@code {"set", "metric", "epoch", "value"}} and no
     * steps; they are read too. A checkpoint's rows are read (and checked against its position)
     * by the checkpoint reader.
     *
     * @param root the JSON object holding the rows
     * @param source the file, for messages
     * @param into the records to add to
     */
    public static void read(JsonObject root, String source, Records into) {
        try {
            for (JsonElement el : root.getAsJsonArray(METRICS)) {
                if (el.isJsonObject()) {
                    JsonObject o = el.getAsJsonObject();
                    into.add(
                            o.get("set").getAsString(),
                            o.get("metric").getAsString(),
                            count(o.get("epoch").getAsInt(), "an epoch"),
                            o.get("value").getAsDouble());
                } else {
                    JsonArray r = el.getAsJsonArray();
                    into.add(
                            r.get(0).getAsString(),
                            r.get(1).getAsString(),
                            count(r.get(2).getAsInt(), "an epoch"),
                            r.get(3).getAsDouble());
                }
            }
            JsonArray steps = root.getAsJsonArray(STEPS);
            if (steps != null) {
                for (JsonElement el : steps) {
                    JsonArray r = el.getAsJsonArray();
                    into.addStep(new Records.StepEntry(
                            count(r.get(0).getAsLong(), "a step"),
                            count(r.get(1).getAsInt(), "an epoch"),
                            r.get(2).getAsString(),
                            r.get(3).getAsDouble(),
                            r.get(4).getAsDouble()));
                }
            }
        } catch (RuntimeException e) {
            throw new LuzjException(
                    "the records in " + source + " are damaged (" + e.getMessage()
                            + "); save the model again, or delete the file to load the weights"
                            + " without their history",
                    e);
        }
    }

    /** An epoch number as written: never negative, since a fit of a loaded model counts on from it. */
    private static int count(int n, String what) {
        return (int) count((long) n, what);
    }

    private static long count(long n, String what) {
        if (n < 0) {
            throw new IllegalArgumentException(what + " of " + n);
        }
        return n;
    }
}
