package io.github.luzj.fit.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * A 2-D convolution whose output is a single pixel, run as one matrix product: the classifier
 * head over a small feature map, such as the chapter convnet's last layer (a 3×3 kernel, stride
 * 2, over a 4×4 map), computes for each example and filter a dot product of the kernel with the
 * top-left window of the input, which is {@code x.reshape(n, -1) · W'ᵀ + b} with the kernel
 * zero-padded to the input's height and width.
 *
 * <p>Why: LibTorch 2.7.1's oneDNN runs this convolution's input gradient on a strided kernel
 * about four times slower than PyTorch 1.13's (docs/performance.md), while a matrix product of
 * these shapes and its two backward products take a fraction of it; the forward pass gains a
 * little too. The result is the convolution's within float rounding, since only the order of the
 * sums differs.
 *
 * <p>Only a convolution without padding, dilation or groups whose input, when it was initialized,
 * gives it one output pixel qualifies ({@link #fits}); a batch of another height or width gives
 * {@link #apply} another output, so it checks every batch's shape and gives null for those.
 */
final class OnePixelConvolution {

    private OnePixelConvolution() {}

    /**
     * Tells whether {@code conv} runs as a matrix product: a DJL {@code Conv2d} (not a subclass,
     * which may compute otherwise) with no padding, no dilation and one group, whose input shape
     * when it was initialized gives it one output pixel.
     *
     * @param conv the convolution, initialized
     * @return true when {@link #apply} may take its place
     */
    static boolean fits(Conv2d conv) {
        if (conv.getClass() != Conv2d.class
                || conv.getGroups() != 1
                || !all(conv.getPadding(), 0)
                || !all(conv.getDilation(), 1)) {
            return false;
        }
        Shape[] inputs;
        try {
            inputs = conv.getInputShapes();
        } catch (IllegalStateException e) {
            return false; // not initialized: its input is unknown
        }
        if (inputs == null || inputs.length != 1 || inputs[0].dimension() != 4) {
            return false;
        }
        Shape k = conv.getKernelShape();
        return onePixel(inputs[0].get(2), inputs[0].get(3), k.get(0), k.get(1), conv.getStride());
    }

    /**
     * Runs the convolution of {@code x} with {@code weight} and {@code bias} (null for none) at
     * {@code stride} as a matrix product, when its output is one pixel.
     *
     * @param x the input, {@code [n, c, h, w]}
     * @param weight the kernel, {@code [f, c, kh, kw]}
     * @param bias the bias {@code [f]}, or null
     * @param stride the stride
     * @param channelsLast true when the input's memory is NHWC, which decides the order the
     *     input is flattened in so that flattening it is a view, not a copy (either order gives
     *     the same result)
     * @return the output {@code [n, f, 1, 1]}, or null when the output is not one pixel
     */
    static NDArray apply(NDArray x, NDArray weight, NDArray bias, Shape stride, boolean channelsLast) {
        Shape in = x.getShape();
        Shape k = weight.getShape();
        if (in.dimension() != 4 || k.dimension() != 4) {
            return null;
        }
        long n = in.get(0);
        long h = in.get(2);
        long w = in.get(3);
        long kh = k.get(2);
        long kw = k.get(3);
        if (!onePixel(h, w, kh, kw, stride)) {
            return null;
        }
        NDArray flat;
        NDArray kernel;
        if (channelsLast) {
            flat = x.transpose(0, 2, 3, 1).reshape(n, -1);
            kernel = padded(weight.transpose(0, 2, 3, 1), 1, 2, h - kh, w - kw);
        } else {
            flat = x.reshape(n, -1);
            kernel = padded(weight, 2, 3, h - kh, w - kw);
        }
        NDArray rows = kernel.reshape(k.get(0), -1);
        NDArray y =
                bias == null
                        ? Linear.linear(flat, rows).head()
                        : Linear.linear(flat, rows, bias).head();
        return y.reshape(n, k.get(0), 1, 1);
    }

    /** {@code a} with {@code extraH} zeros after axis {@code hAxis} and {@code extraW} after {@code wAxis}. */
    private static NDArray padded(NDArray a, int hAxis, int wAxis, long extraH, long extraW) {
        if (extraH == 0 && extraW == 0) {
            return a;
        }
        // DJL's pad takes (before, after) pairs from the last axis to the first, as torch's pad
        long[] pad = new long[2 * a.getShape().dimension()];
        int dims = a.getShape().dimension();
        pad[2 * (dims - 1 - hAxis) + 1] = extraH;
        pad[2 * (dims - 1 - wAxis) + 1] = extraW;
        return a.pad(new Shape(pad), 0);
    }

    /** One output row and column: the kernel fits once and a second stride does not. */
    private static boolean onePixel(long h, long w, long kh, long kw, Shape stride) {
        return stride.dimension() == 2
                && h >= kh
                && w >= kw
                && h - kh < stride.get(0)
                && w - kw < stride.get(1);
    }

    private static boolean all(Shape s, long value) {
        for (long d : s.getShape()) {
            if (d != value) {
                return false;
            }
        }
        return true;
    }
}
