package io.github.luzj.weights;

import io.github.luzj.base.LuzjException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * The limits a weight reader checks before it allocates: a tensor is one Java float array, so at
 * most {@link #MAX_ELEMENTS} values, and all tensors of a file together must fit in half the
 * JVM's heap. A forged shape or storage size fails here with a message, not with an
 * {@link OutOfMemoryError} or a negative array size.
 */
final class TensorLimits {

    /** The largest Java array the JVM allocates. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private final Path file;
    private final long budgetBytes;
    private long usedBytes;

    /**
     * Starts the accounting for one file.
     *
     * @param file the weight file, for messages
     */
    TensorLimits(Path file) {
        this(file, Runtime.getRuntime().maxMemory() / 2);
    }

    TensorLimits(Path file, long budgetBytes) {
        this.file = file;
        this.budgetBytes = budgetBytes;
    }

    /**
     * Counts a shape's elements with overflow checks.
     *
     * @param what the tensor or storage, for messages, e.g. {@code "tensor 'fc.weight'"}
     * @param shape the dimensions, each checked to be {@code >= 0}
     * @return the product, at most {@link #MAX_ELEMENTS}
     */
    long elements(String what, long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new LuzjException(
                        "weights file " + file + " is corrupt: " + what + " has shape "
                                + Arrays.toString(shape) + " with a negative dimension;"
                                + " re-export the file");
            }
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                n = Long.MAX_VALUE;
            }
        }
        if (n > MAX_ELEMENTS) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "weights file %s: %s of shape %s has more than %,d elements, the most"
                            + " one Java array (and so one luzj tensor) holds; split it, or use"
                            + " DJL's PyTorch engine directly",
                    file, what, Arrays.toString(shape), MAX_ELEMENTS));
        }
        return n;
    }

    /**
     * Books memory for a tensor or storage about to be allocated.
     *
     * @param what the tensor or storage, for messages
     * @param bytes its size
     */
    void reserve(String what, long bytes) {
        usedBytes = bytes > budgetBytes - usedBytes ? Long.MAX_VALUE : usedBytes + bytes;
        if (usedBytes > budgetBytes) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "weights file %s needs more than %,d MB of memory by %s, over half of the"
                            + " JVM's maximum heap (%,d MB); run java with a larger -Xmx, or check"
                            + " the file: a damaged header can announce absurd sizes",
                    file, budgetBytes >> 20, what, (budgetBytes * 2) >> 20));
        }
    }
}
