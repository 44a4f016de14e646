package io.github.luzj.fit.internal;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
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
 * about four times slower than PyTorch 1.13's (docs/performance-history.md, the seventh
 * session), while a matrix product of these shapes and its two backward products take a
 * fraction of it; the forward pass gains a little too. The result is the convolution's within
 * float rounding, since only the order of the sums differs.
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
        long h = in.get(2);
        long w = in.get(3);
        long kh = k.get(2);
        long kw = k.get(3);
        if (!onePixel(h, w, kh, kw, stride)) {
            return null;
        }
        // the kernel's temporaries belong to the batch, not to the weight's (the model's) manager
        return product(x, rows(weight, h, w, channelsLast, x.getManager()), bias, channelsLast);
    }

    /**
     * Prepares the convolution {@code conv} with a kernel that stays as it is (inference, where
     * the weights are fixed for the pass): the padded kernel is made once, not on every batch.
     *
     * @param conv the convolution, for its input shape and stride
     * @param weight its kernel, {@code [f, c, kh, kw]}
     * @param bias its bias, or null
     * @param channelsLast the order the input is flattened in, as for {@link #apply}
     * @param owner the manager the prepared rows live in: the pass's, closed with it
     * @return the prepared product, or null when {@code conv} does not {@link #fits fit}
     */
    static Prepared prepare(
            Conv2d conv, NDArray weight, NDArray bias, boolean channelsLast, NDManager owner) {
        if (!fits(conv)) {
            return null;
        }
        Shape in = conv.getInputShapes()[0];
        long h = in.get(2);
        long w = in.get(3);
        return new Prepared(rows(weight, h, w, channelsLast, owner), bias, h, w, channelsLast);
    }

    /** A prepared product for inputs of height {@code h} and width {@code w}. */
    record Prepared(NDArray rows, NDArray bias, long h, long w, boolean channelsLast) {
        /**
         * Runs the product on {@code x}.
         *
         * @param x the input, {@code [n, c, h, w]}
         * @return the output {@code [n, f, 1, 1]}, or null when {@code x} is of another shape
         */
        NDArray apply(NDArray x) {
            Shape in = x.getShape();
            if (in.dimension() != 4 || in.get(2) != h || in.get(3) != w) {
                return null;
            }
            return product(x, rows, bias, channelsLast);
        }
    }

    /**
     * The kernel as the product's rows for an h×w input: zero-padded and flattened as the input
     * is, every array made on the way owned by {@code owner} (a result belongs to its first
     * operand's manager, here the weight's, which would keep them until the model closes).
     */
    private static NDArray rows(NDArray weight, long h, long w, boolean channelsLast, NDManager owner) {
        Shape k = weight.getShape();
        NDArray kernel = channelsLast ? owned(weight.transpose(0, 2, 3, 1), owner) : weight;
        NDArray padded = padded(kernel, channelsLast ? 1 : 2, channelsLast ? 2 : 3, h - k.get(2), w - k.get(3));
        if (padded != kernel) {
            owned(padded, owner);
        }
        return owned(padded.reshape(k.get(0), -1), owner);
    }

    private static NDArray owned(NDArray a, NDManager owner) {
        a.attach(owner);
        return a;
    }

    /** {@code x} flattened times {@code rows} transposed, plus the bias, as {@code [n, f, 1, 1]}. */
    private static NDArray product(NDArray x, NDArray rows, NDArray bias, boolean channelsLast) {
        long n = x.getShape().get(0);
        // NHWC memory flattened in NHWC order is a view; in NCHW order it would be a copy
        NDArray flat = channelsLast ? x.transpose(0, 2, 3, 1).reshape(n, -1) : x.reshape(n, -1);
        NDArray y =
                bias == null
                        ? Linear.linear(flat, rows).head()
                        : Linear.linear(flat, rows, bias).head();
        return y.reshape(n, rows.getShape().get(0), 1, 1);
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
