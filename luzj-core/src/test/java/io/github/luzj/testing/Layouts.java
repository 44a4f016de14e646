package io.github.luzj.testing;

import ai.djl.ndarray.NDArray;

/**
 * Whether an NDArray is contiguous, which DJL does not tell: seen by writing through a view. The
 * channels-last probe is production code ({@link io.github.luzj.base.MemoryOrder}).
 */
public final class Layouts {

    private Layouts() {}

    /**
     * Tells whether an array is contiguous in its own shape: a reshape of it is then a view.
     *
     * @param a an array
     * @return true when its memory runs in its shape's order
     */
    public static boolean contiguous(NDArray a) {
        try (NDArray copy = a.duplicate()) {
            float before = copy.sum().getFloat();
            copy.reshape(-1).addi(1);
            return copy.sum().getFloat() != before;
        }
    }
}
