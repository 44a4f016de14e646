package io.github.luzj.checkpoint;

import ai.djl.nn.Block;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * luzj's checkpoint: a folder holding everything an exact resume needs.
 *
 * <ul>
 *   <li>{@code weights-<step>-<tag>.params}: every parameter of the block, BatchNorm statistics
 *       included;
 *   <li>{@code optimizer-<step>-<tag>.bin}: moments, step counts and hyperparameters per group;
 *   <li>{@code states-<step>-<tag>.bin}, only when callbacks carry bytes beside their JSON
 *       state (an average of the weights): those bytes by callback;
 *   <li>{@code checkpoint.json}: format, version, the run (its id, epochs and settings), epoch
 *       and batch position, global step, the split epoch's running sums, records, each
 *       callback's state, and the size and SHA-256 of the binary files.
 * </ul>
 *
 * <p>Writing is atomic and recoverable: the binary files get new names and are synced, then
 * {@code checkpoint.json} replaces the previous one in a single rename, then the previous
 * checkpoint's files and those of writes killed half-way are deleted. At every instant after the
 * first write, {@code checkpoint.json} names a complete checkpoint. luzj writes only into a folder
 * it owns (missing, empty, holding luzj's own file names, or luzj's {@code checkpoint.json}), and
 * replaces a checkpoint of another run only when told to.
 *
 * <p>Shuffling and augmentation draw from generators derived from the loader's seed, the epoch
 * and the sample index, so the position is all the data pipeline needs to continue identically.
 */
public final class Checkpoint {

    /** The value of the {@code format} key that marks a luzj checkpoint. */
    public static final String FORMAT = "luzj-checkpoint";

    /** The version this code writes when callbacks carry bytes ({@code files.states}), and reads. */
    public static final int VERSION = 3;

    /** The version this code writes when no callback carries bytes, and reads. */
    public static final int VERSION_WITHOUT_STATES = 2;

    static final String META = "checkpoint.json";
    static final long MAX_META_BYTES = 256L << 20;

    /**
     * Where training stood when the checkpoint was written.
     *
     * @param epochsDone completed epochs (trained and validated)
     * @param batchesDone batches of epoch {@code epochsDone + 1} already trained (0 at an epoch
     *     boundary; all of them when training finished but validation did not)
     * @param globalStep optimizer steps taken
     */
    public record Position(int epochsDone, int batchesDone, long globalStep) {}

    /**
     * The run a checkpoint belongs to.
     *
     * @param id the run's identity, kept across resumes; another id is another run
     * @param epochs the epochs the run was set to train
     * @param config the run's settings, compared on resume
     */
    public record Run(String id, int epochs, Map<String, String> config) {
        /** Copies the settings. */
        public Run {
            config = Collections.unmodifiableMap(new LinkedHashMap<>(config));
        }
    }

    /**
     * What a checkpoint holds besides the weights and the optimizer.
     *
     * @param position where training stood
     * @param callbackStates each callback's state, by key
     * @param callbackBytes the bytes some callbacks carry beside their state, by the same keys
     *     (written to {@code states-<step>-<tag>.bin})
     * @param running the running sums of the epoch in progress ({@code loss}: [sum, count];
     *     {@code metrics}: each metric's sums), or null at an epoch boundary
     * @param run the run it belongs to
     */
    public record Meta(
            Position position, Map<String, JsonElement> callbackStates,
            Map<String, byte[]> callbackBytes, JsonObject running, Run run) {
        /** Copies the maps. */
        public Meta {
            callbackStates = Collections.unmodifiableMap(new LinkedHashMap<>(callbackStates));
            callbackBytes = Collections.unmodifiableMap(new LinkedHashMap<>(callbackBytes));
        }

        /** Meta whose callbacks carry no bytes. */
        public Meta(Position position, Map<String, JsonElement> callbackStates, JsonObject running, Run run) {
            this(position, callbackStates, Map.of(), running, run);
        }
    }

    /**
     * What a checkpoint says about itself, for messages.
     *
     * @param position where training stood
     * @param run the run
     * @param writtenAt when it was written, ISO-8601
     */
    public record Info(Position position, Run run, String writtenAt) {
        /**
         * Describes it as "epoch N of M, written at T".
         *
         * @return the description
         */
        public String describe() {
            String at = position.batchesDone() > 0
                    ? "epoch " + position.epochsDone() + " + " + position.batchesDone() + " batches"
                    : "epoch " + position.epochsDone();
            return at + " of " + run.epochs() + ", written at " + writtenAt;
        }
    }

    private Checkpoint() {}

    /**
     * Writes a checkpoint into {@code dir}.
     *
     * @param dir the folder
     * @param block the network
     * @param optimizer the optimizer
     * @param records the records
     * @param meta the position, callback states, running sums and run
     * @param replaceOtherRuns true to replace a checkpoint of another run held in {@code dir}
     * @throws LuzjException when {@code dir} is not luzj's, or holds another run's checkpoint and
     *     {@code replaceOtherRuns} is false; nothing is touched then
     */
    public static void save(
            Path dir, Block block, LuzOptimizer optimizer, Records records, Meta meta,
            boolean replaceOtherRuns) {
        save(dir, block, optimizer, records, meta, replaceOtherRuns, MAX_META_BYTES);
    }

    /** {@link #save}, with the largest checkpoint.json it may write (a test's small one). */
    static void save(
            Path dir, Block block, LuzOptimizer optimizer, Records records, Meta meta,
            boolean replaceOtherRuns, long maxMetaBytes) {
        String existing = CheckpointFolder.checkOwned(dir);
        if (existing != null && !replaceOtherRuns) {
            Info other = infoOrNull(existing, dir);
            if (other == null || !other.run().id().equals(meta.run().id())) {
                throw new LuzjException(
                        dir + " holds a checkpoint of an earlier run"
                                + (other == null ? "" : " (" + other.describe() + ")")
                                + "; resume it (FitOptions.resumeFrom, the CLI's --resume) or let"
                                + " this run replace it (FitOptions.overwriteCheckpoints, the"
                                + " CLI's --overwrite)");
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LuzjException("cannot create " + dir + ": " + e + "; check its parent", e);
        }
        long step = meta.position().globalStep();
        String tag = step + "-" + HexFormat.of().toHexDigits(new SecureRandom().nextInt());
        String weightsName = "weights-" + tag + ".params";
        String optName = "optimizer-" + tag + ".bin";
        String statesName = "states-" + tag + ".bin";
        CheckpointMeta.FileEntry weights;
        CheckpointMeta.FileEntry opt;
        CheckpointMeta.FileEntry states = null;
        try {
            weights = CheckpointFolder.writeBinary(dir, weightsName, out -> WeightsFile.write(block, out));
            CheckpointFolder.pauseIfAsked("weights", step);
            opt = CheckpointFolder.writeBinary(dir, optName, optimizer::saveState);
            CheckpointFolder.pauseIfAsked("optimizer", step);
            if (!meta.callbackBytes().isEmpty()) {
                states = CheckpointFolder.writeBinary(
                        dir, statesName, out -> StatesFile.write(meta.callbackBytes(), out));
            }
            String json = CheckpointMeta.toJson(meta, records, weights, opt, states, Instant.now().toString());
            checkReadable(dir, json, records, meta, maxMetaBytes);
            AtomicFiles.writeDurably(
                    dir.resolve(META), json, () -> CheckpointFolder.pauseIfAsked("meta", step));
        } catch (RuntimeException e) {
            // checkpoint.json still names the previous files: this attempt's are only in the way
            // (on a full disk, of every later attempt too)
            CheckpointFolder.deleteQuietly(dir, weightsName, optName, statesName);
            throw e;
        }
        CheckpointFolder.pauseIfAsked("renamed", step);
        Set<String> keep = states == null
                ? Set.of(weights.name(), opt.name())
                : Set.of(weights.name(), opt.name(), states.name());
        // luzj 0.1's fixed names are luzj's only beside luzj 0.1's own checkpoint.json
        CheckpointFolder.removeStale(dir, keep, CheckpointFolder.isLegacyMeta(existing));
        CheckpointFolder.removeLegacyTemporaries(dir);
    }

    /** Refuses to write a checkpoint.json that {@link #read} would refuse as too large. */
    private static void checkReadable(Path dir, String json, Records records, Meta meta, long max) {
        if (3L * json.length() <= max) {
            return; // no UTF-16 char takes more than 3 bytes in UTF-8: no need to encode it here
        }
        long bytes = json.getBytes(StandardCharsets.UTF_8).length;
        if (bytes <= max) {
            return;
        }
        // say what is large: a callback's state (an EMA of a large model) or the step rows
        String largest = null;
        long largestBytes = 0;
        long states = 0;
        for (Map.Entry<String, JsonElement> e : meta.callbackStates().entrySet()) {
            long n = e.getValue().toString().getBytes(StandardCharsets.UTF_8).length;
            states += n;
            if (n > largestBytes) {
                largest = e.getKey();
                largestBytes = n;
            }
        }
        throw new LuzjException(String.format(Locale.ROOT,
                "cannot write checkpoint %s: its checkpoint.json would be %,d bytes, more than"
                        + " luzj reads back (%,d): the callbacks' states take %,d%s, and most of"
                        + " the rest is the %,d rows of records().steps(). This checkpoint is not"
                        + " written and the previous one is kept; luzj cannot checkpoint a"
                        + " callback state this large or a run of this many steps",
                dir, bytes, max, states,
                largest == null ? "" : String.format(Locale.ROOT, " (%s: %,d)", largest, largestBytes),
                records.steps().size()));
    }

    /**
     * Reads a checkpoint into the block, the optimizer and the records, and returns what else
     * it holds. Every field and both binary files are checked before anything changes; the
     * run's settings must equal {@code config} except {@code epochs}, which may grow.
     *
     * @param dir the folder
     * @param block the network, initialized with the same architecture
     * @param optimizer the optimizer over the same parameters
     * @param records the records, replaced by the checkpoint's
     * @param config this fit's settings, as {@link Run#config()} records them
     * @return the position, callback states, running sums and run
     */
    public static Meta load(
            Path dir, Block block, LuzOptimizer optimizer, Records records, Map<String, String> config) {
        return load(dir, block, optimizer, records, config, meta -> { });
    }

    /**
     * {@link #load}, with {@code check} run on what the checkpoint holds after every field and
     * file is checked and before the block, the optimizer or the records change: a refusal of
     * the caller's (too few epochs, other callbacks) then leaves the model as it was.
     *
     * @param check sees the meta, callbacks' bytes included; throws to refuse the checkpoint
     */
    public static Meta load(
            Path dir, Block block, LuzOptimizer optimizer, Records records, Map<String, String> config,
            Consumer<Meta> check) {
        CheckpointMeta.Parsed p = read(dir);
        checkSameSettings(dir, p.meta().run().config(), config);
        CheckpointFolder.verify(dir, p.weights(), "files.weights");
        CheckpointFolder.verify(dir, p.optimizer(), "files.optimizer");
        Map<String, byte[]> bytes = Map.of();
        if (p.states() != null) {
            CheckpointFolder.verify(dir, p.states(), "files.states");
            try (DataInputStream in = dataIn(dir.resolve(p.states().name()))) {
                bytes = StatesFile.read(in, p.states().bytes(), p.meta().callbackStates());
            } catch (LuzjException | IOException e) {
                // the file matched its digest: it was forged or written damaged
                throw damaged(dir, p.states().name() + " " + (e instanceof LuzjException
                        ? e.getMessage() : "cannot be read (" + e + ")"), e);
            }
        }
        Meta m = p.meta();
        Meta loaded = new Meta(m.position(), m.callbackStates(), bytes, m.running(), m.run());
        check.accept(loaded);
        String reading = p.weights().name();
        try {
            try (DataInputStream in = dataIn(dir.resolve(reading))) {
                WeightsFile.readInto(block, in);
            }
            reading = p.optimizer().name();
            try (DataInputStream in = dataIn(dir.resolve(reading))) {
                optimizer.loadState(in);
            }
        } catch (IOException | LuzjException | IllegalArgumentException e) {
            throw new LuzjException(
                    "checkpoint " + dir + " does not fit this model: " + e.getMessage()
                            + "; resume with the same architecture and optimizer, or start"
                            + " afresh",
                    e);
        } catch (RuntimeException e) {
            // the digests matched, so the file is as written but was forged or written damaged:
            // a reader's slip must still end in one message, not in "unexpected failure"
            throw damaged(dir, reading + " cannot be read (" + e + ")", e);
        }
        Records read = new Records();
        p.fill(read);
        records.replaceWith(read);
        return loaded;
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

    /**
     * Tells which write the folder's checkpoint is, without reading it: every write renames a
     * new {@code checkpoint.json} into place, so its file identity and time change with each.
     *
     * @param dir the folder
     * @return a value equal for the same write and different for another, or null for none
     */
    public static Object stamp(Path dir) {
        try {
            BasicFileAttributes a = Files.readAttributes(dir.resolve(META), BasicFileAttributes.class);
            return a.isRegularFile()
                    ? List.of(String.valueOf(a.fileKey()), a.lastModifiedTime(), a.size())
                    : null;
        } catch (IOException e) {
            return null; // no checkpoint there
        }
    }

    /**
     * Reads what a checkpoint says about itself, checking every field of its
     * {@code checkpoint.json} (not the binary files).
     *
     * @param dir the folder
     * @return the position, run and time of writing
     */
    public static Info info(Path dir) {
        CheckpointMeta.Parsed p = read(dir);
        return new Info(p.meta().position(), p.meta().run(), p.writtenAt());
    }

    /**
     * Checks that luzj may write checkpoints into {@code dir}: it is missing, empty, or holds only
     * luzj's files.
     *
     * @param dir the folder
     * @throws LuzjException when it is a file or holds files luzj did not write
     */
    public static void checkWritable(Path dir) {
        CheckpointFolder.checkOwned(dir);
    }

    /**
     * Deletes a checkpoint: luzj's files in {@code dir}, then the folder unless other files are
     * left in it. A folder that is not luzj's is left alone.
     *
     * @param dir the folder
     * @throws LuzjException when {@code dir} is not luzj's or cannot be deleted
     */
    public static void delete(Path dir) {
        // checkOwned returns luzj's checkpoint.json, the one thing that makes 0.1's names luzj's
        String own = CheckpointFolder.checkOwned(dir);
        try {
            CheckpointFolder.delete(dir, CheckpointFolder.isLegacyMeta(own));
        } catch (IOException e) {
            throw new LuzjException(
                    "cannot delete checkpoint " + dir + ": " + e + "; delete it by hand", e);
        }
    }

    static LuzjException damaged(Path dir, String what) {
        return damaged(dir, what, null);
    }

    static LuzjException damaged(Path dir, String what, Throwable cause) {
        return new LuzjException(
                "checkpoint " + dir + " is damaged: " + what + "; resume from another checkpoint,"
                        + " or start afresh (FitOptions.overwriteCheckpoints, the CLI's"
                        + " --overwrite)",
                cause);
    }

    /**
     * Refuses a folder without a checkpoint before anything (a lock, a missing folder) is made
     * in it: a mistyped resume path must leave no folder behind.
     *
     * @param dir the folder to resume from
     * @throws LuzjException naming the folder, when {@link #exists} is false
     */
    public static void requireExists(Path dir) {
        if (!exists(dir)) {
            throw new LuzjException(
                    "no checkpoint at " + dir + " (" + META + " is missing); pass a folder written"
                            + " by a checkpoint callback, or start without --resume");
        }
    }

    private static CheckpointMeta.Parsed read(Path dir) {
        requireExists(dir);
        return CheckpointMeta.parse(CheckpointFolder.readSmall(dir, dir.resolve(META)), dir);
    }

    private static Info infoOrNull(String text, Path dir) {
        try {
            CheckpointMeta.Parsed p = CheckpointMeta.parse(text, dir);
            return new Info(p.meta().position(), p.meta().run(), p.writtenAt());
        } catch (LuzjException e) {
            return null;
        }
    }

    private static void checkSameSettings(
            Path dir, Map<String, String> saved, Map<String, String> now) {
        List<String> diffs = new ArrayList<>();
        Set<String> keys = new TreeSet<>(saved.keySet());
        keys.addAll(now.keySet());
        for (String k : keys) {
            if (RECORDED_SINCE_LATER.contains(k) && !saved.containsKey(k)) {
                continue;
            }
            String was = saved.getOrDefault(k, "(not set)");
            String is = now.getOrDefault(k, "(not set)");
            if (!was.equals(is)) {
                diffs.add(k + " was " + shown(was) + ", now " + shown(is));
            }
        }
        if (!diffs.isEmpty()) {
            throw new LuzjException(
                    "cannot resume from " + dir + ": this run's settings differ from the"
                            + " checkpoint's: " + String.join("; ", diffs) + ". Resume with the"
                            + " checkpoint's settings (only the epochs may be raised), or start"
                            + " afresh");
        }
    }

    /** An empty setting (no metrics, say) as words, where it would leave a blank in the message. */
    private static String shown(String value) {
        return value.isEmpty() ? "(none)" : value;
    }

    /**
     * Settings that luzj began to record after checkpoints were already being written: one
     * written before lacks them, and resumes as it did then, unchecked on them.
     */
    private static final Set<String> RECORDED_SINCE_LATER = Set.of("loss");

    private static DataInputStream dataIn(Path p) throws IOException {
        return new DataInputStream(new BufferedInputStream(Files.newInputStream(p)));
    }
}
