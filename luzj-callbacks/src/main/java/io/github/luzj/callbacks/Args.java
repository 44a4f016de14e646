package io.github.luzj.callbacks;

import io.github.luzj.base.LuzjException;

/** Argument checks whose messages name the argument, the value received and the valid range. */
final class Args {

    private Args() {}

    /** Formats a number as a user typed it: {@code -1}, {@code 1.5}, {@code NaN}. */
    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    static LuzjException fail(String name, String range, Object got) {
        return new LuzjException(name + " must be " + range + ", got " + got);
    }

    static double positive(String name, double v) {
        if (!(Double.isFinite(v) && v > 0)) {
            throw fail(name, "a finite number > 0", fmt(v));
        }
        return v;
    }

    static double nonNegative(String name, double v) {
        if (!(Double.isFinite(v) && v >= 0)) {
            throw fail(name, "a finite number >= 0", fmt(v));
        }
        return v;
    }

    static double finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw fail(name, "finite", fmt(v));
        }
        return v;
    }

    static int atLeast(String name, int v, int min) {
        if (v < min) {
            throw fail(name, ">= " + min, v);
        }
        return v;
    }

    static <T> T notNull(String name, T v, String fix) {
        if (v == null) {
            throw new LuzjException(name + " is null; " + fix);
        }
        return v;
    }
}
