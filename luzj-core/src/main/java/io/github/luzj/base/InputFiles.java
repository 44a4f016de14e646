package io.github.luzj.base;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Optional;

/**
 * Says what is really wrong with a file the user passed: missing, a directory, a symlink loop, a
 * broken link, or not readable, rather than "not found" or "damaged" for all of them.
 */
public final class InputFiles {

    private InputFiles() {}

    /**
     * Fails unless {@code file} is a readable regular file.
     *
     * @param file the file
     * @param what what the file is, e.g. {@code "weights file"}
     * @param fix what to pass instead, ending the message
     */
    public static void checkReadable(Path file, String what, String fix) {
        problem(file).ifPresent(p -> {
            throw new LuzjException(what + " " + file + " " + p + "; " + fix);
        });
    }

    /**
     * Describes why {@code file} cannot be read as a regular file.
     *
     * @param file the file
     * @return e.g. {@code "is a directory, not a file"}, or empty when it is a readable file
     */
    public static Optional<String> problem(Path file) {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            return Optional.of(Files.isSymbolicLink(file)
                    ? "is a broken symbolic link (to " + linkTarget(file) + ")"
                    : "does not exist");
        } catch (AccessDeniedException e) {
            return Optional.of("cannot be reached: permission denied on its folder");
        } catch (FileSystemException e) {
            return Optional.of(isLoop(e)
                    ? "is a symlink loop (too many levels of symbolic links)"
                    : "cannot be read: " + describe(e));
        } catch (IOException e) {
            return Optional.of("cannot be read: " + describe(e));
        }
        if (attrs.isDirectory()) {
            return Optional.of("is a directory, not a file");
        }
        if (!attrs.isRegularFile()) {
            return Optional.of("is not a regular file (a device, pipe or socket)");
        }
        if (!Files.isReadable(file)) {
            return Optional.of("cannot be read: permission denied (chmod u+r it)");
        }
        return Optional.empty();
    }

    /**
     * Reads a small regular file whole, never more than {@code maxBytes}: a device, a pipe or a
     * file larger than anything luzj writes is refused before it is read.
     *
     * @param file the file
     * @param what what the file is, e.g. {@code "records file"}
     * @param maxBytes the most the file may hold
     * @param fix what to do instead, ending the message
     * @return the bytes
     */
    public static byte[] readBounded(Path file, String what, long maxBytes, String fix) {
        checkReadable(file, what, fix);
        try (var in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
            if (bytes.length > maxBytes) {
                throw new LuzjException(what + " " + file + " holds more than " + maxBytes
                        + " bytes, more than luzj ever writes there; " + fix);
            }
            return bytes;
        } catch (IOException e) {
            throw unreadable(file, what, e);
        }
    }

    /**
     * Tells whether a path exists in any form, a dangling or looping link included.
     *
     * @param file the path
     * @return true when something is there
     */
    public static boolean present(Path file) {
        return Files.exists(file, LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Turns a failed read into a message that names the real cause.
     *
     * @param file the file
     * @param what what the file is, e.g. {@code "IDX file"}
     * @param e the failure
     * @return the exception to throw
     */
    public static LuzjException unreadable(Path file, String what, IOException e) {
        String why = problem(file).orElseGet(() -> e instanceof AccessDeniedException
                ? "cannot be read: permission denied (chmod u+r it)"
                : "cannot be read: " + describe(e));
        return new LuzjException(what + " " + file + " " + why, e);
    }

    private static boolean isLoop(FileSystemException e) {
        String reason = e.getReason();
        return reason != null && reason.toLowerCase(Locale.ROOT).contains("symbolic links");
    }

    private static String describe(IOException e) {
        if (e instanceof FileSystemException f && f.getReason() != null) {
            return f.getReason();
        }
        return e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    }

    private static String linkTarget(Path link) {
        try {
            return Files.readSymbolicLink(link).toString();
        } catch (IOException e) {
            return "an unreadable target";
        }
    }
}
