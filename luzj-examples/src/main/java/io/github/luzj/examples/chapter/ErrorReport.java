package io.github.luzj.examples.chapter;

import io.github.luzj.base.LuzjException;
import java.io.PrintWriter;

/**
 * How the CLI reports a failure: a user error ({@link LuzjException} anywhere in the causes) as
 * one line and exit code 2, the stack trace only when asked for; anything else as an unexpected
 * failure with its stack trace and exit code 1.
 */
public final class ErrorReport {

    /** Exit code for user errors (bad input, missing data). */
    public static final int USER_ERROR = 2;

    private ErrorReport() {}

    /**
     * Prints the failure.
     *
     * @param e the failure
     * @param debug true to print a user error's stack trace too
     * @param err where to print
     * @return the exit code
     */
    public static int print(Throwable e, boolean debug, PrintWriter err) {
        Throwable userError = userError(e);
        if (userError != null) {
            err.println("error: " + userError.getMessage());
            if (debug) {
                e.printStackTrace(err);
            } else {
                err.println("(run with --debug for the stack trace)");
            }
            err.flush();
            return USER_ERROR;
        }
        err.println("error: unexpected failure: " + e);
        e.printStackTrace(err);
        err.flush();
        return 1;
    }

    private static Throwable userError(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof LuzjException) {
                return t;
            }
        }
        return null;
    }
}
