package io.github.luzj.base;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.util.Locale;

/**
 * What to do about a failed write, from the exception itself: the one place that turns an
 * {@link IOException} of luzj's writers into the fix their messages end with, so that an
 * interrupt, a file in the path or a name too long are not all sent to check the permissions.
 */
public final class WriteFailures {

    private WriteFailures() {}

    /**
     * The fix for {@code e}.
     *
     * @param e the failure of a write
     * @return a clause such as {@code "check that the folder is writable and the disk has room"}
     */
    public static String fix(IOException e) {
        if (e instanceof ClosedByInterruptException || e instanceof InterruptedIOException) {
            return "the thread was interrupted (Thread.interrupt) while writing, so the write"
                    + " stopped; what was there before is intact";
        }
        if (e instanceof FileAlreadyExistsException) {
            // what creating the folders of a path meets when one of them is a file
            return "a part of the path is a file, not a folder: pass a path under a folder";
        }
        if (e instanceof AccessDeniedException) {
            return "check that the folder is writable";
        }
        if (e instanceof FileSystemException f && f.getReason() != null) {
            String reason = f.getReason().toLowerCase(Locale.ROOT);
            if (reason.contains("not a directory")) {
                return "a part of the path is a file, not a folder: pass a path under a folder";
            }
            if (reason.contains("file name too long")) {
                return "a name in the path is too long for the file system (a folder-name"
                        + " template with long fields?): shorten it";
            }
            if (reason.contains("no space left")) {
                return "the disk is full: free some space";
            }
            if (reason.contains("read-only file system")) {
                return "the file system is read-only: pass a path on a writable one";
            }
        }
        return "check that the folder is writable and the disk has room";
    }
}
