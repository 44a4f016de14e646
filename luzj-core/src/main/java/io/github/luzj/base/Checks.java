package io.github.luzj.base;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The one argument check of luzj: every failure is a {@link LuzjException} whose message names
 * the argument, the valid range and the value received ("patience must be >= 0, got -1"), as
 * Keras's callbacks and DJL's builders do.
 */
public final class Checks {

    private Checks() {}

    /**
     * Throws a {@link LuzjException} with the formatted message unless {@code condition} holds.
     *
     * @param condition what must be true
     * @param format a {@link String#format} pattern naming the problem and the fix
     * @param args the pattern's arguments
     */
    public static void check(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new LuzjException(String.format(Locale.ROOT, format, args));
        }
    }

    /**
     * Formats a number as a user typed it: {@code -1}, {@code 1.5}, {@code NaN}.
     *
     * @param v the number
     * @return its shortest faithful text
     */
    public static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e15) {
            return Long.toString((long) v);
        }
        return Double.toString(v);
    }

    /**
     * The exception for an argument outside its range.
     *
     * @param name the argument's name
     * @param range the valid range, as "a finite number > 0"
     * @param got the value received
     * @return the exception, for the caller to throw
     */
    public static LuzjException fail(String name, String range, Object got) {
        return new LuzjException(name + " must be " + range + ", got " + got);
    }

    /**
     * @param name the argument's name
     * @param v the value
     * @return {@code v} when finite and {@code > 0}
     */
    public static double positive(String name, double v) {
        if (!(Double.isFinite(v) && v > 0)) {
            throw fail(name, "a finite number > 0", fmt(v));
        }
        return v;
    }

    /**
     * @param name the argument's name
     * @param v the value
     * @return {@code v} when finite and {@code >= 0}
     */
    public static double nonNegative(String name, double v) {
        if (!(Double.isFinite(v) && v >= 0)) {
            throw fail(name, "a finite number >= 0", fmt(v));
        }
        return v;
    }

    /**
     * @param name the argument's name
     * @param v the value
     * @return {@code v} when finite
     */
    public static double finite(String name, double v) {
        if (!Double.isFinite(v)) {
            throw fail(name, "finite", fmt(v));
        }
        return v;
    }

    /**
     * @param name the argument's name
     * @param v the value
     * @return {@code v} when strictly between 0 and 1
     */
    public static double open01(String name, double v) {
        if (!(v > 0 && v < 1)) {
            throw fail(name, "in (0, 1)", fmt(v));
        }
        return v;
    }

    /**
     * A momentum or {@code beta1}: optimizers accept [0, 1).
     *
     * @param name the argument's name
     * @param v the value
     * @return {@code v} when in [0, 1)
     */
    public static double momentum(String name, double v) {
        if (!(v >= 0 && v < 1)) {
            throw fail(name, "in [0, 1)", fmt(v));
        }
        return v;
    }

    /**
     * @param name the argument's name
     * @param v the value
     * @param min the smallest valid value
     * @return {@code v} when {@code >= min}
     */
    public static int atLeast(String name, int v, int min) {
        if (v < min) {
            throw fail(name, ">= " + min, v);
        }
        return v;
    }

    /**
     * A dataset's index, the one check behind every {@code SampleDataset.get} of luzj's.
     *
     * @param index the index asked for
     * @param size the dataset's size
     * @return {@code index} when in {@code [0, size)}
     */
    public static int index(int index, int size) {
        if (index < 0 || index >= size) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "index %d is outside the dataset of %,d examples; pass %s", index, size,
                    size == 0 ? "a dataset with examples" : "0 to " + (size - 1)));
        }
        return index;
    }

    /**
     * An upper bound, with the reason for it: step counts that would not finish or fit.
     *
     * @param name the argument's name
     * @param v the value
     * @param max the largest valid value, at most {@link Integer#MAX_VALUE}
     * @param reason why the bound exists
     * @return {@code v} as an int when {@code <= max}
     */
    public static int atMost(String name, long v, long max, String reason) {
        if (v > max) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "%s must be <= %,d (%s), got %,d", name, max, reason, v));
        }
        return (int) v;
    }

    /**
     * @param name the argument's name
     * @param v the value
     * @param valid the accepted values
     * @return {@code v} when one of {@code valid}
     */
    public static String oneOf(String name, String v, Set<String> valid) {
        if (v == null || !valid.contains(v)) {
            throw new LuzjException(String.format(Locale.ROOT, "%s must be one of %s, got '%s'",
                    name, String.join(", ", valid.stream().sorted().toList()), v));
        }
        return v;
    }

    /**
     * @param name the argument's name
     * @param v the value
     * @param fix what the caller should pass instead
     * @param <T> the value's type
     * @return {@code v} when not null
     */
    public static <T> T notNull(String name, T v, String fix) {
        if (v == null) {
            throw new LuzjException(name + " is null; " + fix);
        }
        return v;
    }

    /**
     * The callbacks (or other items) passed as varargs: neither the array nor an element null.
     *
     * @param what the items, singular, such as "callback"
     * @param items the array
     * @param <T> the items' type
     * @return the items as an unmodifiable list
     */
    @SafeVarargs
    public static <T> List<T> noNulls(String what, T... items) {
        notNull(what + "s", items, "pass none, or " + what + "s that are not null");
        for (T item : items) {
            if (item == null) {
                throw new LuzjException("a " + what + " is null; remove it from the list");
            }
        }
        return List.of(items);
    }

    /**
     * Returns a value as an error message shows it: cut to 40 characters, so that a 10 MB cell
     * or name is not copied into the message.
     *
     * @param v the value
     * @return the value, or its start with its length
     */
    public static String echo(String v) {
        return v.length() <= 40 ? v : v.substring(0, 40) + "... (" + v.length() + " characters)";
    }
}
