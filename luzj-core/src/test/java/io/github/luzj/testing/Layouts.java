package io.github.luzj.testing;

import ai.djl.ndarray.NDArray;

/** What memory order an NDArray has, which DJL does not tell: seen by writing through a view. */
public final class Layouts {

    private Layouts() {}

    /**
     * Tells whether a 4-D array's memory runs channels-last ({@code [n, h, w, c]}): its NHWC view
     * is then contiguous, so a reshape of that view is a view too and writing through it changes
     * the array. Done on a copy ({@code duplicate} keeps the strides), so {@code a} stays as it is.
     *
     * @param a a 4-D array
     * @return true for channels-last memory, false for NCHW (or any other)
     */
    public static boolean channelsLastInMemory(NDArray a) {
        try (NDArray copy = a.duplicate()) {
            float before = copy.sum().getFloat();
            copy.transpose(0, 2, 3, 1).reshape(-1).addi(1);
            return copy.sum().getFloat() != before;
        }
    }

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
