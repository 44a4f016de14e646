package io.github.luzj.checkpoint;

import com.google.gson.JsonElement;
import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.JsonText;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.WriteFailures;
import io.github.luzj.base.OwnedFolder;
import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The files of a checkpoint folder and who owns them. luzj's own names are the only ones it ever
 * deletes: {@code checkpoint.json}, its temporaries, the binary files it names
 * ({@code weights-<step>-<tag>.params}, {@code optimizer-<step>-<tag>.bin}) and the lock. luzj
 * 0.1's fixed names ({@code weights.params}, {@code optimizer.bin}) are generic enough to be
 * anyone's, so they count as luzj's only beside luzj 0.1's own {@code checkpoint.json}.
 *
 * <p>A write never replaces a file in place: the binary files get new names, then
 * {@code checkpoint.json}, which names them, replaces the old one in one atomic rename. At every
 * instant {@code checkpoint.json} therefore names complete files, and the files of the previous
 * checkpoint (or of a write killed half-way) are deleted only after the rename.
 */
final class CheckpointFolder {

    private static final Pattern BINARY =
            Pattern.compile("(weights-[0-9]+-[0-9a-f]{8}\\.params|(optimizer|states)-[0-9]+-[0-9a-f]{8}\\.bin)");
    /**
     * luzj 0.1's fixed names, replaced by the versioned ones above; luzj's only where luzj 0.1's
     * {@code checkpoint.json} vouches for them (or in luzj 0.1's own temporary folders).
     */
    private static final Set<String> LEGACY = Set.of("weights.params", "optimizer.bin");
    /** The checkpoint.json version from which the binary files have the versioned names. */
    private static final int VERSIONED_NAMES_SINCE = 2;
    private static final Pattern META_TEMP = Pattern.compile("\\.checkpoint\\.json\\.[0-9]+\\.tmp");

    /**
     * The environment variable (or system property {@code luzj.checkpoint.pause}) that pauses a
     * checkpoint write at a named step, for the kill test: {@code <step>} or
     * {@code <step>@<global step>} (the first write at or after that step). Unset, it does nothing.
     */
    static final String PAUSE = "LUZJ_CHECKPOINT_PAUSE";

    private CheckpointFolder() {}

    static boolean isBinaryName(String name) {
        return BINARY.matcher(name).matches();
    }

    /**
     * Tells whether {@code name} is one luzj writes.
     *
     * @param legacyToo whether luzj 0.1's fixed names count: only where luzj 0.1's
     *     {@code checkpoint.json} sits beside them, or in luzj 0.1's temporary folders
     */
    private static boolean isOwnName(String name, boolean legacyToo) {
        return name.equals(Checkpoint.META)
                || name.equals(CheckpointLock.FILE)
                || isBinaryName(name)
                || (legacyToo && LEGACY.contains(name))
                || META_TEMP.matcher(name).matches();
    }

    /**
     * Checks that luzj may write a checkpoint into {@code dir}: missing, empty, holding only
     * files of luzj's naming, or holding a luzj {@code checkpoint.json}. Without that
     * {@code checkpoint.json}, luzj 0.1's generic names ({@code weights.params},
     * {@code optimizer.bin}) are someone else's files and the folder is refused.
     *
     * @return the text of luzj's {@code checkpoint.json} there, or null when there is none
     * @throws LuzjException when something else is in the way, touching nothing
     */
    static String checkOwned(Path dir) {
        String fix = "choose another checkpoint folder";
        if (!OwnedFolder.checkNotAFile(dir, "checkpoint folder", fix + " or move the file away")) {
            return null;
        }
        Path meta = dir.resolve(Checkpoint.META);
        if (Files.isRegularFile(meta)) {
            String text = readSmall(dir, meta);
            if (CheckpointMeta.hasFormatMarker(text)) {
                return text;
            }
            throw new LuzjException(
                    dir + " holds a " + Checkpoint.META + " that luzj did not write (no \"format\":"
                            + " \"" + Checkpoint.FORMAT + "\"), and luzj leaves it alone; choose"
                            + " another checkpoint folder or move it away");
        }
        // by name and kind: a folder called checkpoint.json or weights-1-00000000.params is not
        // luzj's, and would fail the write only after the training
        OwnedFolder.checkOnlyOwn(dir, p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)
                && isOwnName(p.getFileName().toString(), false), fix);
        return null;
    }

    static String readSmall(Path dir, Path file) {
        try {
            long size = Files.size(file);
            if (size > Checkpoint.MAX_META_BYTES) {
                throw Checkpoint.damaged(dir, Checkpoint.META + " is " + size + " bytes, more than"
                        + " luzj ever writes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw Checkpoint.damaged(dir, Checkpoint.META + " cannot be read as UTF-8 text (" + e + ")");
        }
    }

    /** Writes one binary file under a new name, synced to disk; returns its size and digest. */
    static CheckpointMeta.FileEntry writeBinary(Path dir, String name, AtomicFiles.DataWriter writer) {
        Path file = dir.resolve(name);
        MessageDigest sha = sha256();
        try (FileOutputStream fos = new FileOutputStream(file.toFile())) {
            DataOutputStream out =
                    new DataOutputStream(new BufferedOutputStream(new DigestOutputStream(fos, sha)));
            writer.write(out);
            out.flush();
            fos.getFD().sync();
        } catch (IOException e) {
            throw new LuzjException(
                    "cannot write checkpoint file " + file + ": " + e + "; " + WriteFailures.fix(e),
                    e);
        }
        try {
            return new CheckpointMeta.FileEntry(
                    name, Files.size(file), HexFormat.of().formatHex(sha.digest()));
        } catch (IOException e) {
            throw new LuzjException("cannot read back " + file + ": " + e, e);
        }
    }

    /** Checks that a named binary file is there, whole and unchanged. */
    static void verify(Path dir, CheckpointMeta.FileEntry f, String field) {
        Path file = dir.resolve(f.name());
        if (!Files.isRegularFile(file)) {
            throw Checkpoint.damaged(dir, field + " names " + f.name() + ", which is missing");
        }
        MessageDigest sha = sha256();
        long size = 0;
        try (var in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0; ) {
                sha.update(buf, 0, n);
                size += n;
            }
        } catch (IOException e) {
            throw Checkpoint.damaged(dir, f.name() + " cannot be read (" + e + ")");
        }
        if (size != f.bytes() || !HexFormat.of().formatHex(sha.digest()).equals(f.sha256())) {
            throw Checkpoint.damaged(dir, f.name() + " does not match " + field + " ("
                    + size + " bytes, " + f.bytes() + " written): it was cut short or changed");
        }
    }

    /**
     * Whether {@code metaText}, a luzj {@code checkpoint.json} (or null), is luzj 0.1's, whose
     * files had the fixed names: a later one names versioned files, so beside it those fixed
     * names can only be someone else's.
     */
    static boolean isLegacyMeta(String metaText) {
        if (metaText == null) {
            return false;
        }
        try {
            JsonElement v = JsonText.parse(metaText).getAsJsonObject().get("version");
            return v == null || (v.isJsonPrimitive() && v.getAsJsonPrimitive().isNumber() && v.getAsInt() < VERSIONED_NAMES_SINCE);
        } catch (RuntimeException e) {
            return false; // not readable as luzj's: then nothing there is luzj's by name alone
        }
    }

    /**
     * Deletes luzj's files that {@code checkpoint.json} does not name: the previous checkpoint's
     * and those of writes killed half-way. Failing to delete one is harmless.
     *
     * @param legacyToo whether to delete luzj 0.1's fixed names too: only when the folder held
     *     luzj 0.1's checkpoint before this write ({@link #isLegacyMeta})
     */
    static void removeStale(Path dir, Set<String> keep, boolean legacyToo) {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String n = p.getFileName().toString();
                boolean stale = isBinaryName(n)
                        || (legacyToo && LEGACY.contains(n))
                        || META_TEMP.matcher(n).matches();
                if (stale && !keep.contains(n)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // the next successful write tries again
        }
    }

    /**
     * Deletes the folders luzj 0.1's writer left beside {@code dir} when killed
     * ({@code .<name>.<digits>} and {@code .<name>.old-<digits>}), when they hold luzj's files only.
     */
    static void removeLegacyTemporaries(Path dir) {
        Path parent = dir.toAbsolutePath().getParent();
        Pattern legacy = Pattern.compile(
                "\\." + Pattern.quote(dir.getFileName().toString()) + "\\.(old-)?[0-9]+");
        try (Stream<Path> siblings = Files.list(parent)) {
            for (Path p : (Iterable<Path>) siblings::iterator) {
                if (Files.isDirectory(p) && legacy.matcher(p.getFileName().toString()).matches()
                        && onlyOwnFiles(p)) {
                    delete(p, true);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the next successful write tries again
        }
    }

    private static boolean onlyOwnFiles(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            // the folder's name is luzj 0.1's temporary pattern, so its fixed names are luzj's
            return entries.allMatch(p -> isOwnName(p.getFileName().toString(), true));
        }
    }

    /**
     * Deletes luzj's files from {@code dir}, then the folder when nothing else is left.
     *
     * @param legacyToo whether luzj 0.1's fixed names are luzj's here (see {@link #removeStale})
     */
    static void delete(Path dir, boolean legacyToo) throws IOException {
        if (!Files.isDirectory(dir)) {
            return;
        }
        // the metadata first: killed midway, the folder holds no checkpoint (a fresh start, its
        // leftovers luzj's to clear) rather than one naming files already gone
        Files.deleteIfExists(dir.resolve(Checkpoint.META));
        removeStale(dir, Set.of(), legacyToo);
        Files.deleteIfExists(dir.resolve(CheckpointLock.FILE));
        try (Stream<Path> left = Files.list(dir)) {
            if (left.findAny().isPresent()) {
                return; // someone else's files: the folder stays with them
            }
        }
        Files.deleteIfExists(dir);
    }

    /** Deletes {@code names} in {@code dir} where they exist, ignoring failures (a cleanup). */
    static void deleteQuietly(Path dir, String... names) {
        for (String n : names) {
            try {
                Files.deleteIfExists(dir.resolve(n));
            } catch (IOException | RuntimeException e) {
                // left for the next successful save's removeStale
            }
        }
    }

    /**
     * The kill test's hook: when {@value #PAUSE} names {@code step}, says so on stderr and
     * sleeps until the process is killed.
     */
    static void pauseIfAsked(String step, long globalStep) {
        String asked = System.getProperty("luzj.checkpoint.pause", System.getenv(PAUSE));
        if (asked == null || asked.isBlank()) {
            return;
        }
        String[] parts = asked.split("@", 2);
        long from = parts.length == 2 ? Long.parseLong(parts[1].strip()) : 0;
        if (!parts[0].strip().equals(step) || globalStep < from) {
            return;
        }
        System.err.println("luzj-checkpoint-paused " + step + " " + globalStep);
        System.err.flush();
        try {
            Thread.sleep(600_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
