package io.github.luzj.base;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Tells in which order a 4-D array's elements lie in memory, which DJL does not say: an array of
 * shape {@code [n, c, h, w]} is either NCHW in memory (DJL's default) or channels-last, NHWC
 * ({@code torch.channels_last}), as luzj lays out image batches and convolution kernels.
 *
 * <p>Code that walks an array's memory in one pass (Adam's flat moments) wants the order the
 * memory has, since a reshape against it copies the whole array.
 */
public final class MemoryOrder {

    private MemoryOrder() {}

    /**
     * Tells whether a 4-D array's memory runs channels-last. Seen on a copy with the same strides
     * ({@code duplicate} keeps them; DJL's {@code zerosLike} does not), zeroed in place: its NHWC
     * view is contiguous exactly when the memory is channels-last, so a reshape of that view is
     * then a view, and a write through it shows in the copy. When both orders are the same memory
     * (one channel, or a 1×1 image) the answer is true, and either order serves.
     *
     * @param a any array
     * @return true for a 4-D array laid out channels-last, false for NCHW, any other order, and
     *     arrays that are not 4-D
     */
    public static boolean channelsLast(NDArray a) {
        if (a.getShape().dimension() != 4 || a.size() == 0) {
            return false;
        }
        try (GradMode ignored = GradMode.off();
                NDArray probe = a.duplicate()) {
            probe.set(ALL, 0);
            try (NDArray flat = nhwcFlat(probe)) {
                flat.addi(1);
            }
            try (NDArray written = probe.gt(0);
                    NDArray any = written.any()) {
                return any.getBoolean();
            }
        }
    }

    /**
     * A 4-D array's elements in NHWC order, in one dimension: a view of its memory when that is
     * channels-last, else a copy.
     *
     * @param a a 4-D array of shape {@code [n, c, h, w]}
     * @return its elements, {@code n·h·w·c} of them, NHWC
     */
    public static NDArray nhwcFlat(NDArray a) {
        try (NDArray nhwc = a.transpose(0, 2, 3, 1)) {
            return nhwc.reshape(-1);
        }
    }

    /**
     * Views elements in NHWC order as an array of the NCHW shape {@code shape} whose memory is
     * channels-last: the inverse of {@link #nhwcFlat}, with no copy when {@code nhwcOrdered} is
     * contiguous.
     *
     * @param nhwcOrdered {@code n·h·w·c} elements in NHWC order, of any shape
     * @param shape the NCHW shape {@code [n, c, h, w]}
     * @return the view, of shape {@code shape}
     */
    public static NDArray channelsLastView(NDArray nhwcOrdered, Shape shape) {
        long[] s = shape.getShape();
        try (NDArray nhwc = nhwcOrdered.reshape(s[0], s[2], s[3], s[1])) {
            return nhwc.transpose(0, 3, 1, 2);
        }
    }

    /** The whole array, for a write into its own memory. */
    private static final NDIndex ALL = new NDIndex("...");
}
