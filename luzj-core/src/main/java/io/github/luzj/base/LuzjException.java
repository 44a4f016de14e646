package io.github.luzj.base;

/**
 * The one exception type for user errors: bad data, bad hyperparameters, mismatched shapes,
 * unreadable files. Its message names the problem, the value received and the fix, so that the
 * CLI can print it as a single line without a stack trace.
 */
public class LuzjException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /**
     * Creates an exception with a message that names the problem and the fix.
     *
     * @param message what is wrong, where, and how to fix it
     */
    public LuzjException(String message) {
        super(message);
    }

    /**
     * Creates an exception that wraps a lower-level cause.
     *
     * @param message what is wrong, where, and how to fix it
     * @param cause the underlying failure
     */
    public LuzjException(String message, Throwable cause) {
        super(message, cause);
    }
}
