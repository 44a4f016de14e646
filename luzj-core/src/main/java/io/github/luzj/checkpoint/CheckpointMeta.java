package io.github.luzj.checkpoint;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonPrimitive;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.github.luzj.base.Checks;
import io.github.luzj.base.JsonText;
import io.github.luzj.base.LuzjException;
import io.github.luzj.record.Records;
import io.github.luzj.record.RecordsJson;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * {@code checkpoint.json}: written from a {@link Checkpoint.Meta}, read back with every field
 * checked, so that a damaged file is one {@link LuzjException} naming the field and never an
 * exception from deep inside.
 */
final class CheckpointMeta {

    static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    /** A binary file the checkpoint names, with what it must hold. */
    record FileEntry(String name, long bytes, String sha256) {}

    /** Everything {@code checkpoint.json} holds, checked. */
    record Parsed(
            Checkpoint.Meta meta,
            String writtenAt,
            FileEntry weights,
            FileEntry optimizer,
            FileEntry states,
            List<Records.Entry> entries,
            List<Records.StepEntry> steps) {

        /** Adds the records and steps to {@code records}. */
        void fill(Records records) {
            entries.forEach(e -> records.add(e.set(), e.metric(), e.epoch(), e.value()));
            steps.forEach(records::addStep);
        }
    }

    private CheckpointMeta() {}

    static String toJson(
            Checkpoint.Meta meta, Records records, FileEntry weights, FileEntry optimizer,
            FileEntry states, String writtenAt) {
        Checkpoint.Position at = meta.position();
        JsonObject root = new JsonObject();
        root.addProperty("format", Checkpoint.FORMAT);
        // a luzj that reads only version 2 would resume without the states file's arrays
        // (an average of the weights) and not know it: it refuses version 3 instead
        root.addProperty("version", states == null ? Checkpoint.VERSION_WITHOUT_STATES : Checkpoint.VERSION);
        root.addProperty("run_id", meta.run().id());
        root.addProperty("written_at", writtenAt);
        root.addProperty("epochs", meta.run().epochs());
        root.addProperty("epochs_done", at.epochsDone());
        root.addProperty("batches_done", at.batchesDone());
        root.addProperty("global_step", at.globalStep());
        JsonObject config = new JsonObject();
        meta.run().config().forEach(config::addProperty);
        root.add("config", config);
        root.add("running", meta.running() == null ? null : meta.running().deepCopy());
        JsonObject files = new JsonObject();
        files.add("weights", file(weights));
        files.add("optimizer", file(optimizer));
        if (states != null) {
            files.add("states", file(states));
        }
        root.add("files", files);
        // an epoch cut short is left out (the resumed run records it whole), as are steps
        // recorded before a step that was not taken
        RecordsJson.write(records, at.epochsDone(), at.globalStep(), root);
        JsonObject cbs = new JsonObject();
        meta.callbackStates().forEach(cbs::add);
        root.add("callbacks", cbs);
        // a row a line: the steps grow with the run, and the reader bounds the file's size
        return JsonText.prettyWithRows(root, Set.of(RecordsJson.METRICS, RecordsJson.STEPS));
    }

    private static JsonObject file(FileEntry f) {
        JsonObject o = new JsonObject();
        o.addProperty("name", f.name());
        o.addProperty("bytes", f.bytes());
        o.addProperty("sha256", f.sha256());
        return o;
    }

    /**
     * Tells whether {@code text} carries luzj's format marker, the proof that luzj wrote the
     * folder, without checking anything else.
     */
    static boolean hasFormatMarker(String text) {
        // streamed up to the marker, no tree built: luzj writes it first, so a luzj file that is
        // damaged further on, or too large to parse in memory, is still known as luzj's (and
        // then reported damaged) rather than taken for someone else's
        try (JsonReader in = new JsonReader(new StringReader(text))) {
            // as leniently as the parser reads the file (luzj writes NaN that way), so that a
            // text the parser takes for a checkpoint is never also called someone else's file
            in.setStrictness(Strictness.LENIENT);
            if (in.peek() != JsonToken.BEGIN_OBJECT) {
                return false;
            }
            in.beginObject();
            while (in.hasNext()) {
                if (in.nextName().equals("format")) {
                    return in.peek() == JsonToken.STRING && Checkpoint.FORMAT.equals(in.nextString());
                }
                in.skipValue();
            }
            return false;
        } catch (IOException | RuntimeException e) {
            return false; // not JSON up to a marker: not luzj's
        }
    }

    /**
     * Reads and checks {@code checkpoint.json}.
     *
     * @param text the file's content
     * @param dir the checkpoint folder, for messages
     * @return the checked content
     * @throws LuzjException naming the first field that is missing or wrong
     */
    static Parsed parse(String text, Path dir) {
        Fields f = new Fields(dir);
        JsonElement parsed;
        try {
            parsed = JsonText.parse(text);
        } catch (JsonParseException | StackOverflowError e) {
            throw f.damaged(Checkpoint.META, "is not valid JSON (" + e.getMessage() + ")");
        }
        if (parsed == null || !parsed.isJsonObject()) {
            throw f.damaged(Checkpoint.META, "is not a JSON object");
        }
        JsonObject root = parsed.getAsJsonObject();
        JsonElement format = root.get("format");
        if (format == null || !format.isJsonPrimitive()
                || !Checkpoint.FORMAT.equals(format.getAsString())) {
            throw new LuzjException(
                    dir.resolve(Checkpoint.META) + " is not a luzj checkpoint (no \"format\": \""
                            + Checkpoint.FORMAT + "\"); pass a folder written by luzj");
        }
        long version = f.integer(root, "version", 0, Integer.MAX_VALUE);
        if (version != Checkpoint.VERSION && version != Checkpoint.VERSION_WITHOUT_STATES) {
            throw new LuzjException(
                    "checkpoint " + dir + " has version " + version + " but this luzj reads "
                            + Checkpoint.VERSION_WITHOUT_STATES + " and " + Checkpoint.VERSION
                            + "; resume it with the luzj that wrote it, or start afresh");
        }
        String runId = f.string(root, "run_id");
        String writtenAt = f.string(root, "written_at");
        int epochs = (int) f.integer(root, "epochs", 1, Integer.MAX_VALUE);
        int epochsDone = (int) f.integer(root, "epochs_done", 0, epochs);
        int batchesDone = (int) f.integer(root, "batches_done", 0, Integer.MAX_VALUE);
        if (batchesDone > 0 && epochsDone >= epochs) {
            throw f.damaged("batches_done", "is " + batchesDone + " but all " + epochs
                    + " epochs are done");
        }
        // 2^53, the largest count a JSON number holds exactly, leaves a resumed run room to count
        long globalStep = f.integer(root, "global_step", 0, 1L << 53);
        Map<String, String> config = new LinkedHashMap<>();
        for (Map.Entry<String, JsonElement> e : f.object(root, "config").entrySet()) {
            config.put(e.getKey(), f.string(e.getValue(), "config." + e.getKey()));
        }
        JsonObject running = running(f, root);
        if (batchesDone > 0 && running == null) {
            // luzj writes the running sums with every mid-epoch position: the epoch's records
            // would be made of the batches after the resume only
            throw f.damaged("running", "is missing, but batches_done is " + batchesDone
                    + " (a checkpoint in the middle of an epoch holds its running sums)");
        }
        JsonObject files = f.object(root, "files");
        FileEntry weights = fileEntry(f, files, "weights");
        FileEntry optimizer = fileEntry(f, files, "optimizer");
        FileEntry states = null;
        if (version == Checkpoint.VERSION) {
            states = fileEntry(f, files, "states");
        } else if (files.has("states")) {
            throw f.damaged("files.states", "is there, but version " + version + " has no states file");
        }
        List<String> names = states == null
                ? List.of(weights.name(), optimizer.name())
                : List.of(weights.name(), optimizer.name(), states.name());
        if (names.stream().distinct().count() < names.size()) {
            throw f.damaged("files", "names one file twice");
        }
        List<Records.Entry> entries = new ArrayList<>();
        int lastTrainEpoch = 0;
        JsonArray metrics = f.array(root, "metrics");
        for (int i = 0; i < metrics.size(); i++) {
            String at = "metrics[" + i + "]";
            JsonArray r = f.row(metrics.get(i), at, 4);
            int epoch = (int) f.integer(r.get(2), at + "[2] (epoch)", 1, Math.max(1, epochsDone));
            Records.Entry e = new Records.Entry(
                    f.string(r.get(0), at + "[0] (set)"),
                    f.string(r.get(1), at + "[1] (metric)"),
                    epoch,
                    f.real(r.get(3), at + "[3] (value)"));
            if (epochsDone == 0) {
                throw f.damaged(at, "records epoch " + epoch + " but epochs_done is 0");
            }
            if (e.set().equals(Records.TRAIN)) {
                lastTrainEpoch = Math.max(lastTrainEpoch, epoch);
            }
            entries.add(e);
        }
        if (!entries.isEmpty() && lastTrainEpoch != epochsDone) {
            throw f.damaged("epochs_done", "is " + epochsDone + " but the metrics end at epoch "
                    + lastTrainEpoch);
        }
        List<Records.StepEntry> steps = new ArrayList<>();
        JsonArray stepRows = f.array(root, "steps");
        for (int i = 0; i < stepRows.size(); i++) {
            String at = "steps[" + i + "]";
            JsonArray r = f.row(stepRows.get(i), at, 5);
            steps.add(new Records.StepEntry(
                    f.integer(r.get(0), at + "[0] (step)", 1, Math.max(1, globalStep)),
                    (int) f.integer(r.get(1), at + "[1] (epoch)", 1, epochsDone + 1L),
                    f.string(r.get(2), at + "[2] (group)"),
                    f.real(r.get(3), at + "[3] (lr)"),
                    f.real(r.get(4), at + "[4] (momentum)")));
        }
        Map<String, JsonElement> callbacks = new LinkedHashMap<>();
        f.object(root, "callbacks").entrySet().forEach(e -> callbacks.put(e.getKey(), e.getValue()));
        Checkpoint.Meta meta = new Checkpoint.Meta(
                new Checkpoint.Position(epochsDone, batchesDone, globalStep),
                callbacks,
                running,
                new Checkpoint.Run(runId, epochs, config));
        return new Parsed(meta, writtenAt, weights, optimizer, states, entries, steps);
    }

    private static JsonObject running(Fields f, JsonObject root) {
        JsonElement el = root.get("running");
        if (el == null || el.isJsonNull()) { // at an epoch boundary
            return null;
        }
        JsonObject running = f.object(root, "running");
        f.reals(running.get("loss"), "running.loss");
        for (Map.Entry<String, JsonElement> e : f.object(running, "metrics").entrySet()) {
            f.reals(e.getValue(), "running.metrics." + e.getKey());
        }
        return running;
    }

    private static FileEntry fileEntry(Fields f, JsonObject files, String key) {
        JsonObject o = f.object(files, key, "files." + key);
        String name = f.string(o, "files." + key + ".name", "name");
        if (!CheckpointFolder.isBinaryName(name)) {
            throw f.damaged("files." + key + ".name", "is '" + name + "', not a name luzj writes");
        }
        long bytes = f.integer(o.get("bytes"), "files." + key + ".bytes", 0, Long.MAX_VALUE);
        String sha = f.string(o, "files." + key + ".sha256", "sha256");
        if (!SHA256.matcher(sha).matches()) {
            throw f.damaged("files." + key + ".sha256", "is not a SHA-256 digest");
        }
        return new FileEntry(name, bytes, sha);
    }

    /** Typed reads that name the field when it is missing or of the wrong kind. */
    private static final class Fields {
        private final Path dir;

        Fields(Path dir) {
            this.dir = dir;
        }

        LuzjException damaged(String field, String problem) {
            return Checkpoint.damaged(dir, field + " " + problem);
        }

        private JsonElement get(JsonObject o, String key, String field) {
            JsonElement el = o.get(key);
            if (el == null || el.isJsonNull()) {
                throw damaged(field, "is missing");
            }
            return el;
        }

        JsonObject object(JsonObject o, String key) {
            return object(o, key, key);
        }

        JsonObject object(JsonObject o, String key, String field) {
            JsonElement el = get(o, key, field);
            if (!el.isJsonObject()) {
                throw damaged(field, "must be an object, got " + brief(el));
            }
            return el.getAsJsonObject();
        }

        JsonArray array(JsonObject o, String key) {
            JsonElement el = get(o, key, key);
            if (!el.isJsonArray()) {
                throw damaged(key, "must be an array, got " + brief(el));
            }
            return el.getAsJsonArray();
        }

        JsonArray row(JsonElement el, String field, int length) {
            if (el == null || !el.isJsonArray() || el.getAsJsonArray().size() != length) {
                throw damaged(field, "must be an array of " + length + ", got " + brief(el));
            }
            return el.getAsJsonArray();
        }

        String string(JsonObject o, String key) {
            return string(get(o, key, key), key);
        }

        String string(JsonObject o, String field, String key) {
            return string(get(o, key, field), field);
        }

        String string(JsonElement el, String field) {
            if (el == null || !el.isJsonPrimitive() || !el.getAsJsonPrimitive().isString()) {
                throw damaged(field, "must be a string, got " + brief(el));
            }
            return el.getAsString();
        }

        long integer(JsonObject o, String key, long min, long max) {
            return integer(get(o, key, key), key, min, max);
        }

        long integer(JsonElement el, String field, long min, long max) {
            BigDecimal v = JsonText.wholeNumber(el);
            if (v == null) {
                throw damaged(field, "must be a whole number, got " + brief(el));
            }
            if (v.compareTo(BigDecimal.valueOf(min)) < 0 || v.compareTo(BigDecimal.valueOf(max)) > 0) {
                throw damaged(field, "is " + brief(el) + ", outside [" + min + ", " + max + "]");
            }
            return v.longValue();
        }

        double real(JsonElement el, String field) {
            if (el != null && el.isJsonPrimitive()) {
                JsonPrimitive p = el.getAsJsonPrimitive();
                String s = p.getAsString();
                if (p.isNumber() || s.equals("NaN") || s.equals("Infinity") || s.equals("-Infinity")) {
                    try {
                        return Double.parseDouble(s);
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                }
            }
            throw damaged(field, "must be a number, got " + brief(el));
        }

        double[] reals(JsonElement el, String field) {
            if (el == null || !el.isJsonArray()) {
                throw damaged(field, "must be an array of numbers, got " + brief(el));
            }
            JsonArray a = el.getAsJsonArray();
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = real(a.get(i), field + "[" + i + "]");
            }
            return out;
        }

        private static String brief(JsonElement el) {
            if (el == null || el.isJsonNull()) {
                return "nothing";
            }
            return Checks.echo(el.toString());
        }
    }
}
