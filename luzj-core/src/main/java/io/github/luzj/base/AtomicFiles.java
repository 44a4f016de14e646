package io.github.luzj.base;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.Set;
import java.util.stream.Stream;
import org.slf4j.LoggerFactory;

/**
 * Writes files and folders so that a crash never leaves a half-written one where the user looks:
 * everything goes to a temporary name beside the target, then is renamed over it.
 */
public final class AtomicFiles {

    /** Writes to a path that the caller gives. */
    @FunctionalInterface
    public interface Writer {
        /**
         * Writes the content to {@code path}.
         *
         * @param path the temporary path to write
         * @throws IOException when writing fails
         */
        void write(Path path) throws IOException;
    }

    /** Writes binary content to a stream that the caller gives. */
    @FunctionalInterface
    public interface DataWriter {
        /**
         * Writes the content.
         *
         * @param out the stream, closed by the caller
         * @throws IOException when writing fails
         */
        void write(DataOutputStream out) throws IOException;
    }

    private AtomicFiles() {}

    /**
     * Writes text atomically and durably: the temporary file is synced to disk before the
     * rename and the folder after it, so that a power cut leaves the old file or the new one.
     *
     * @param target the final path
     * @param text the content, UTF-8
     * @param beforeRename runs between the synced temporary and the rename (a test's pause point)
     */
    public static void writeDurably(Path target, String text, Runnable beforeRename) {
        write(
                target,
                tmp -> {
                    Files.writeString(tmp, text, StandardCharsets.UTF_8);
                    sync(tmp, false);
                    beforeRename.run();
                });
        try {
            sync(parentOf(target), true);
        } catch (IOException e) {
            // the rename is done; a folder that cannot be synced keeps the OS's own ordering
        }
    }

    /** Forces every file under {@code dir}, and the folders, to disk. */
    private static void syncTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                sync(p, Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
            }
        }
    }

    /** Forces a file, or a folder's entries, to disk (folders cannot be opened on Windows). */
    static void sync(Path p, boolean folder) throws IOException {
        try (FileChannel c =
                FileChannel.open(
                        p,
                        folder ? StandardOpenOption.READ
                                : StandardOpenOption.WRITE)) {
            c.force(true);
        } catch (IOException e) {
            if (!folder) {
                throw e;
            }
        }
    }

    /**
     * Writes a file atomically.
     *
     * @param target the final path
     * @param writer writes the content to the temporary path it is given
     */
    public static void write(Path target, Writer writer) {
        Path dir = parentOf(target);
        if (Files.isDirectory(target)) {
            // the rename would fail with "Is a directory", and the usual fix would not apply
            throw new LuzjException(
                    "cannot write " + target + ": it is a folder; pass the path of a file (in"
                            + " it, for example " + target.resolve("out.csv") + ")");
        }
        Path tmp = null;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            writer.write(tmp);
            keepPermissions(tmp, target);
            move(tmp, target);
        } catch (IOException e) {
            throw new LuzjException(
                    "cannot write " + target + ": " + e + "; " + WriteFailures.fix(e),
                    e);
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Writes text atomically, UTF-8.
     *
     * @param target the final path
     * @param text the content
     */
    public static void writeString(Path target, String text) {
        write(target, tmp -> Files.writeString(tmp, text, StandardCharsets.UTF_8));
    }

    /**
     * Returns the path the operating system reaches for {@code path}: the part that exists with
     * its symbolic links and {@code ..} resolved ({@link Path#toRealPath}), the rest appended.
     * {@link Path#normalize} works on names alone and can name another folder: {@code missing/..}
     * is an error to the operating system, and {@code link/..} is the parent of the link's target.
     * A writer that checks one folder and replaces another could delete the user's files, so
     * whatever checks a folder and writes it uses this one path for both.
     *
     * @param path a path, relative or absolute
     * @return the absolute path that exists up to its last missing names
     * @throws LuzjException when {@code ..} follows a folder that does not exist
     */
    public static Path resolved(Path path) {
        Checks.notNull("path", path, "pass the path to write");
        Path abs = path.toAbsolutePath();
        Deque<Path> missing = new ArrayDeque<>();
        Path existing = abs;
        while (existing != null && !Files.exists(existing)) {
            missing.push(existing.getFileName());
            existing = existing.getParent();
        }
        Path out;
        try {
            out = existing == null ? abs.getRoot() : existing.toRealPath();
        } catch (IOException e) {
            throw new LuzjException("cannot resolve " + path + ": " + e + "; " + WriteFailures.fix(e), e);
        }
        while (!missing.isEmpty()) {
            String name = missing.pop().toString();
            if (name.equals("..")) {
                throw new LuzjException(path + " goes up with '..' from " + out
                        + ", which does not exist, so it names no folder; write the path without"
                        + " '..' after a folder that is not there yet");
            }
            if (!name.equals(".")) {
                out = out.resolve(name);
            }
        }
        return out;
    }

    /**
     * Writes a folder atomically: the writer fills a temporary folder, which then replaces
     * {@code target} (an existing folder is moved aside first and deleted only after the rename).
     * A symbolic link {@code folder} stays, and the folder it leads to is replaced.
     *
     * @param folder the final folder
     * @param writer fills the temporary folder it is given
     */
    public static void writeDirectory(Path folder, Writer writer) {
        // the folder the caller checked, whatever links and ".." the path holds
        Path target = resolved(folder);
        Path parent = parentOf(target);
        if (parent == null) {
            throw new LuzjException("cannot write folder " + folder + ": it is the file system's root;"
                    + " pass a folder inside it");
        }
        Path tmp = null;
        Path old = null;
        try {
            Files.createDirectories(parent);
            tmp = Files.createTempDirectory(parent, "." + target.getFileName() + ".");
            if (tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(
                        tmp, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
            writer.write(tmp);
            // on disk before the old folder goes: a power cut then leaves the old save or the new
            syncTree(tmp);
            if (Files.exists(target)) {
                Path aside = parent.resolve(asidePrefix(target) + System.nanoTime());
                Files.move(target, aside);
                old = aside; // only now is the previous content there, for the message below
            }
            Files.move(tmp, target);
            tmp = null;
            sync(parent, true); // the renames, before the old folder is deleted below
        } catch (IOException e) {
            if (old != null && !Files.exists(target)) {
                try {
                    Files.move(old, target);
                    old = null;
                } catch (IOException ignored) {
                    // the previous folder stays at its backup name, reported below
                }
            }
            throw new LuzjException(
                    "cannot write folder " + target + ": " + e
                            + (old != null ? "; the previous content is kept at " + old : "")
                            + "; " + WriteFailures.fix(e),
                    e);
        } finally {
            deleteLeftover(tmp, target);
            deleteLeftover(old, target);
        }
    }

    private static String asidePrefix(Path target) {
        return "." + target.getFileName() + ".old-";
    }

    /**
     * Finds the earlier content of a folder that {@link #writeDirectory} moved aside and did not
     * get to replace: a process killed between its two renames leaves no folder at the target,
     * and the previous one under a hidden name beside it.
     *
     * @param folder the folder that is missing
     * @return the newest such folder, or null
     */
    public static Path movedAside(Path folder) {
        Path target = folder.toAbsolutePath().normalize();
        Path parent = target.getParent();
        if (parent == null || target.getFileName() == null || !Files.isDirectory(parent)) {
            return null;
        }
        String prefix = asidePrefix(target);
        try (Stream<Path> entries = Files.list(parent)) {
            // the suffix is a nanoTime: the longer, then the larger, name is the newer
            return entries.filter(p -> p.getFileName().toString().startsWith(prefix) && Files.isDirectory(p))
                    .max(Comparator.comparingInt((Path p) -> p.getFileName().toString().length())
                            .thenComparing(p -> p.getFileName().toString()))
                    .orElse(null);
        } catch (IOException | RuntimeException e) {
            return null; // only a hint for a message
        }
    }

    /**
     * Deletes a temporary or moved-aside folder of a save that is done (or failed with its own
     * message): one that cannot be deleted (a read-only earlier save) is left where it is, since
     * failing the save for it would tell the user a written model was not.
     */
    private static void deleteLeftover(Path dir, Path target) {
        try {
            deleteRecursively(dir);
        } catch (LuzjException e) {
            LoggerFactory.getLogger(AtomicFiles.class).warn(
                    "{} is written, but {} could not be deleted ({}); delete it yourself",
                    target, dir, e.getCause() == null ? e.getMessage() : e.getCause().toString());
        }
    }

    static void move(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * Gives the temporary file the target's permissions, or rw-r--r--: temp files are created
     * owner-only, and the rename would carry that over to the user's file.
     */
    private static void keepPermissions(Path tmp, Path target) throws IOException {
        if (!tmp.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        Set<PosixFilePermission> perms =
                Files.exists(target)
                        ? Files.getPosixFilePermissions(target)
                        : PosixFilePermissions.fromString("rw-r--r--");
        Files.setPosixFilePermissions(tmp, perms);
    }

    private static Path parentOf(Path target) {
        Checks.notNull("the file to write", target, "pass the path of the file to write");
        Path abs = target.toAbsolutePath();
        return abs.getParent();
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a stray temp file is harmless; the target is intact
            }
        }
    }

    /**
     * Deletes a folder and everything in it; a missing folder is not an error.
     *
     * @param dir the folder, or null
     */
    public static void deleteRecursively(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(
                    dir,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path f, BasicFileAttributes a)
                                throws IOException {
                            Files.delete(f);
                            return FileVisitResult.CONTINUE;
                        }

                        @Override
                        public FileVisitResult postVisitDirectory(Path d, IOException e)
                                throws IOException {
                            Files.delete(d);
                            return FileVisitResult.CONTINUE;
                        }
                    });
        } catch (IOException e) {
            throw new LuzjException("cannot delete " + dir + ": " + e + "; check its permissions, or"
                    + " delete it yourself", e);
        }
    }
}
