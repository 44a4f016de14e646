package io.github.luzj.checkpoint;

import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.HostName;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.WriteFailures;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * An exclusive lock on a checkpoint folder ({@value #FILE} inside it, locked with
 * {@link FileChannel#tryLock()}), so that two runs never write the same checkpoint. The lock file
 * names the process holding it, for the other run's message; the operating system releases the
 * lock when the process dies, however it dies.
 *
 * <p>The lock is between processes. Within one process it is re-entrant: the CLI takes it before
 * loading data so that a second run fails at once, and the fit loop takes it again when it first
 * writes. The JVM allows one {@link FileLock} per file per process, which is why the held locks are
 * kept in one process-wide table.
 */
public final class CheckpointLock implements AutoCloseable {

    /** The lock file's name inside the checkpoint folder. */
    public static final String FILE = ".luzj-lock";

    private static final Map<Path, Held> HELD = new HashMap<>();

    private final Path key;
    private boolean closed;

    private record Held(FileChannel channel, FileLock lock, int[] count) {}

    private CheckpointLock(Path key) {
        this.key = key;
    }

    /**
     * Locks {@code dir}, creating it when missing.
     *
     * @param dir the checkpoint folder
     * @return the lock; close it to release
     * @throws LuzjException when another process holds it, naming that process
     */
    public static CheckpointLock acquire(Path dir) {
        // the folder the checkpoint is written to, whatever links and ".." its path holds, so
        // that two spellings of one folder are one lock
        Path key = AtomicFiles.resolved(dir);
        synchronized (HELD) {
            Held held = HELD.get(key);
            if (held != null) {
                held.count()[0]++;
                return new CheckpointLock(key);
            }
            Path file = key.resolve(FILE);
            FileChannel channel = null;
            try {
                Files.createDirectories(key);
                if (Files.isSymbolicLink(file)) {
                    // the lock file is truncated and written: through a link, some other file
                    throw new LuzjException(file + " is a symbolic link, where luzj keeps its lock"
                            + " file; luzj does not write through it: delete the link");
                }
                channel = FileChannel.open(
                        file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                        StandardOpenOption.WRITE, LinkOption.NOFOLLOW_LINKS);
                FileLock lock;
                try {
                    lock = channel.tryLock();
                } catch (OverlappingFileLockException e) {
                    lock = null;
                }
                if (lock == null) {
                    String holder = holder(file);
                    channel.close();
                    throw new LuzjException(
                            "checkpoint folder " + key + " is in use by another run (" + holder
                                    + "); wait for it to finish, or give this run another folder");
                }
                String me = "process " + ProcessHandle.current().pid() + " on "
                        + HostName.orElse("this machine") + " since " + Instant.now();
                channel.truncate(0);
                channel.write(ByteBuffer.wrap(me.getBytes(StandardCharsets.UTF_8)), 0);
                HELD.put(key, new Held(channel, lock, new int[] {1}));
                return new CheckpointLock(key);
            } catch (IOException e) {
                closeQuietly(channel);
                throw new LuzjException(
                        "cannot lock checkpoint folder " + key + ": " + e + "; "
                                + WriteFailures.fix(e),
                        e);
            }
        }
    }

    /** Releases this hold; the file lock goes when the last hold in the process does. */
    @Override
    public void close() {
        synchronized (HELD) {
            if (closed) {
                return;
            }
            closed = true;
            Held held = HELD.get(key);
            if (held != null && --held.count()[0] == 0) {
                HELD.remove(key);
                closeQuietly(held.channel()); // releases the lock
            }
        }
    }

    private static String holder(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "a process that has not yet written its name" : text;
        } catch (IOException | RuntimeException e) {
            return "a process whose name cannot be read";
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) {
            try {
                c.close();
            } catch (IOException ignored) {
                // closing releases the lock; nothing else to do
            }
        }
    }
}
