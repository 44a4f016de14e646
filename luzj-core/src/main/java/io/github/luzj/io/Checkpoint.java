package io.github.luzj.io;

import ai.djl.nn.Block;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import io.github.luzj.LuzjException;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * luzj's checkpoint: a folder holding everything an exact resume needs, written atomically (a
 * crash mid-write leaves the previous checkpoint intact).
 *
 * <ul>
 *   <li>{@code weights.params}: every parameter of the block, BatchNorm statistics included;
 *   <li>{@code optimizer.bin}: moments, step counts and hyperparameters per group;
 *   <li>{@code checkpoint.json}: format and version, epoch and batch position, global step,
 *       records, and each callback's state (schedulers, early stopping, ...).
 * </ul>
 *
 * <p>Shuffling and augmentation draw from generators derived from the loader's seed, the epoch
 * and the sample index, so the position is all the data pipeline needs to continue identically.
 */
public final class Checkpoint {

    /** The value of the {@code format} key that marks a luzj checkpoint. */
    public static final String FORMAT = "luzj-checkpoint";

    /** The version this code writes and reads. */
    public static final int VERSION = 1;

    static final String META = "checkpoint.json";
    static final String WEIGHTS = "weights.params";
    static final String OPTIMIZER = "optimizer.bin";

    private static final Gson GSON =
            new GsonBuilder().setPrettyPrinting().serializeSpecialFloatingPointValues().create();

    /**
     * Where training stood when the checkpoint was written.
     *
     * @param epochsDone completed epochs
     * @param batchesDone batches of epoch {@code epochsDone + 1} already trained (0 at an epoch
     *     boundary)
     * @param globalStep optimizer steps taken
     */
    public record Position(int epochsDone, int batchesDone, long globalStep) {}

    /**
     * What a checkpoint holds besides the arrays.
     *
     * @param position where training stood
     * @param callbackStates each callback's state, by key
     */
    public record Meta(Position position, Map<String, JsonElement> callbackStates) {}

    private Checkpoint() {}

    /**
     * Writes a checkpoint folder atomically.
     *
     * @param dir the folder
     * @param block the network
     * @param optimizer the optimizer
     * @param records the records
     * @param meta the position and callback states
     */
    public static void save(
            Path dir, Block block, LuzOptimizer optimizer, Records records, Meta meta) {
        AtomicFiles.writeDirectory(
                dir,
                tmp -> {
                    try (DataOutputStream out = dataOut(tmp.resolve(WEIGHTS))) {
                        WeightsFile.write(block, out);
                    }
                    try (DataOutputStream out = dataOut(tmp.resolve(OPTIMIZER))) {
                        optimizer.saveState(out);
                    }
                    Files.writeString(
                            tmp.resolve(META), GSON.toJson(toJson(records, meta)),
                            StandardCharsets.UTF_8);
                });
    }

    /**
     * Reads a checkpoint into the block, the optimizer and the records, and returns its position
     * and callback states. Nothing is changed when the folder is not a luzj checkpoint.
     *
     * @param dir the folder
     * @param block the network, initialized with the same architecture
     * @param optimizer the optimizer over the same parameters
     * @param records the records to fill (cleared first by the caller)
     * @return the position and callback states
     */
    public static Meta load(Path dir, Block block, LuzOptimizer optimizer, Records records) {
        JsonObject root = readMeta(dir);
        try {
            try (DataInputStream in = dataIn(dir.resolve(WEIGHTS))) {
                WeightsFile.readInto(block, in);
            }
            try (DataInputStream in = dataIn(dir.resolve(OPTIMIZER))) {
                optimizer.loadState(in);
            }
        } catch (IOException | LuzjException | IllegalArgumentException e) {
            throw new LuzjException(
                    "checkpoint " + dir + " does not fit this model: " + e.getMessage()
                            + "; resume with the same architecture and optimizer, or start"
                            + " without --resume",
                    e);
        }
        return fromJson(root, records);
    }

    /**
     * Tells whether {@code dir} holds a luzj checkpoint (its metadata file at least).
     *
     * @param dir the folder
     * @return true when {@code checkpoint.json} is there
     */
    public static boolean exists(Path dir) {
        return Files.isRegularFile(dir.resolve(META));
    }

    private static JsonObject readMeta(Path dir) {
        Path meta = dir.resolve(META);
        if (!Files.isRegularFile(meta)) {
            throw new LuzjException(
                    "no checkpoint at " + dir + " (" + META + " is missing); pass a folder written"
                            + " by a checkpoint callback, or start without --resume");
        }
        JsonObject root;
        try {
            root = GSON.fromJson(Files.readString(meta, StandardCharsets.UTF_8), JsonObject.class);
        } catch (IOException | JsonParseException e) {
            throw new LuzjException(
                    "checkpoint " + meta + " is corrupt (" + e.getMessage() + "); delete the"
                            + " folder and start again, or resume from an older checkpoint",
                    e);
        }
        if (root == null
                || !root.has("format")
                || !FORMAT.equals(root.get("format").getAsString())) {
            throw new LuzjException(
                    meta + " is not a luzj checkpoint (no \"format\": \"" + FORMAT + "\"); pass a"
                            + " folder written by luzj");
        }
        int version = root.get("version").getAsInt();
        if (version != VERSION) {
            throw new LuzjException(
                    "checkpoint " + dir + " has version " + version + " but this luzj reads "
                            + VERSION + "; resume it with the luzj that wrote it");
        }
        for (String f : new String[] {WEIGHTS, OPTIMIZER}) {
            if (!Files.isRegularFile(dir.resolve(f))) {
                throw new LuzjException(
                        "checkpoint " + dir + " is incomplete: " + f + " is missing; resume from"
                                + " another checkpoint");
            }
        }
        return root;
    }

    private static JsonObject toJson(Records records, Meta meta) {
        JsonObject root = new JsonObject();
        root.addProperty("format", FORMAT);
        root.addProperty("version", VERSION);
        root.addProperty("epochs_done", meta.position().epochsDone());
        root.addProperty("batches_done", meta.position().batchesDone());
        root.addProperty("global_step", meta.position().globalStep());
        JsonArray entries = new JsonArray();
        for (Records.Entry e : records.entries()) {
            JsonArray row = new JsonArray();
            row.add(e.set());
            row.add(e.metric());
            row.add(e.epoch());
            row.add(e.value());
            entries.add(row);
        }
        root.add("metrics", entries);
        JsonArray steps = new JsonArray();
        for (Records.StepEntry s : records.steps()) {
            JsonArray row = new JsonArray();
            row.add(s.step());
            row.add(s.epoch());
            row.add(s.group());
            row.add(s.lr());
            row.add(s.momentum());
            steps.add(row);
        }
        root.add("steps", steps);
        JsonObject cbs = new JsonObject();
        meta.callbackStates().forEach(cbs::add);
        root.add("callbacks", cbs);
        return root;
    }

    private static Meta fromJson(JsonObject root, Records records) {
        for (JsonElement el : root.getAsJsonArray("metrics")) {
            JsonArray r = el.getAsJsonArray();
            records.add(
                    r.get(0).getAsString(),
                    r.get(1).getAsString(),
                    r.get(2).getAsInt(),
                    r.get(3).getAsDouble());
        }
        for (JsonElement el : root.getAsJsonArray("steps")) {
            JsonArray r = el.getAsJsonArray();
            records.addStep(
                    new Records.StepEntry(
                            r.get(0).getAsLong(),
                            r.get(1).getAsInt(),
                            r.get(2).getAsString(),
                            r.get(3).getAsDouble(),
                            r.get(4).getAsDouble()));
        }
        Map<String, JsonElement> cbs = new LinkedHashMap<>();
        root.getAsJsonObject("callbacks").entrySet().forEach(e -> cbs.put(e.getKey(), e.getValue()));
        return new Meta(
                new Position(
                        root.get("epochs_done").getAsInt(),
                        root.get("batches_done").getAsInt(),
                        root.get("global_step").getAsLong()),
                cbs);
    }

    private static DataOutputStream dataOut(Path p) throws IOException {
        return new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(p)));
    }

    private static DataInputStream dataIn(Path p) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(p)));
    }
}
