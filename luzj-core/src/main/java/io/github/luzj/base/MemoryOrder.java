package io.github.luzj.base;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;

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
            try (NDArray nhwc = probe.transpose(0, 2, 3, 1);
                    NDArray flat = nhwc.reshape(-1)) {
                flat.addi(1);
            }
            try (NDArray written = probe.gt(0);
                    NDArray any = written.any()) {
                return any.getBoolean();
            }
        }
    }

    /** The whole array, for a write into its own memory. */
    private static final NDIndex ALL = new NDIndex("...");
}
