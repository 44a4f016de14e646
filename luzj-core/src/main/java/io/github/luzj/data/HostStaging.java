package io.github.luzj.data;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.function.Consumer;

/**
 * Turns host batches into NDArrays, copying each float once.
 *
 * <p>DJL copies a heap array into a fresh direct buffer that the new tensor then points at; that
 * buffer is freed only when the garbage collector finds it, so a training loop leaves tens of
 * megabytes of dead native memory behind every epoch and the process's resident memory swings
 * with the collector. Here, on the CPU, each batch is written once, straight into the memory of
 * a fresh LibTorch array; on another device it goes through one direct buffer reused from batch
 * to batch, which the engine copies to the device. Either way no batch points at memory the next
 * batch overwrites.
 *
 * <p>Image batches ({@code [N, C, H, W]}) are staged channels-last by default: the array has the
 * usual NCHW shape, so models and callbacks see nothing different, but its memory is laid out
 * NHWC ({@code torch.channels_last}). LibTorch then runs the convolutions and batch norm
 * channels-last end to end (oneDNN's preferred layout on CPU), which trains the chapter's convnet
 * about 1.2-1.4 times faster; the numbers agree with NCHW's within float rounding, since only the
 * kernels' summation order changes. {@code new HostStaging(false)} stages them NCHW, as DJL does.
 *
 * <p>One instance serves one loop on one thread; it is not thread-safe.
 */
public final class HostStaging {

    private final boolean channelsLast;
    private ByteBuffer buffer;

    /** Stages image batches channels-last, everything else as it is. */
    public HostStaging() {
        this(true);
    }

    /**
     * Creates a staging buffer.
     *
     * @param channelsLast true to lay 4-D feature batches out NHWC in memory (their shape stays
     *     NCHW), false to keep DJL's NCHW layout
     */
    public HostStaging(boolean channelsLast) {
        this.channelsLast = channelsLast;
    }

    /**
     * Creates the batch's features as one float32 NDArray in {@code manager}.
     *
     * @param batch the host batch
     * @param manager the batch's manager, on the training device
     * @return the features
     */
    public NDList features(HostBatch batch, NDManager manager) {
        FloatTensor x = batch.x();
        if (channelsLast && x.shape().length == 4) {
            return new NDList(toChannelsLast(manager, x));
        }
        return new NDList(toArray(manager, x));
    }

    /**
     * Creates the batch's labels as one float32 NDArray in {@code manager}.
     *
     * @param batch the host batch
     * @param manager the batch's manager, on the training device
     * @return the labels, or null for an unlabeled batch
     */
    public NDList labels(HostBatch batch, NDManager manager) {
        return batch.labeled() ? new NDList(toArray(manager, batch.y())) : null;
    }

    /**
     * Copies {@code t} into an NDArray of {@code manager} that owns its memory.
     *
     * @param manager where the array lives
     * @param t the host tensor
     * @return the array
     */
    public NDArray toArray(NDManager manager, FloatTensor t) {
        return write(manager, new Shape(t.shape()), out -> out.put(t.data()));
    }

    /**
     * Copies the NCHW batch {@code t} into an NDArray of shape NCHW whose memory is NHWC: the
     * pixels are written NHWC into an array of shape {@code [N, H, W, C]}, whose axes are then
     * permuted, which in LibTorch is a view with channels-last strides over the same memory.
     */
    private NDArray toChannelsLast(NDManager manager, FloatTensor t) {
        long[] s = t.shape();
        int n = (int) s[0];
        int c = (int) s[1];
        int hw = (int) (s[2] * s[3]);
        float[] data = t.data();
        Consumer<FloatBuffer> nhwc = out -> {
            if (c == 1) {
                out.put(data); // one channel: NCHW and NHWC are the same bytes
                return;
            }
            float[] pixel = new float[c];
            for (int i = 0; i < n; i++) {
                int image = i * c * hw;
                for (int p = 0; p < hw; p++) {
                    for (int k = 0; k < c; k++) {
                        pixel[k] = data[image + k * hw + p];
                    }
                    out.put(pixel);
                }
            }
        };
        try (NDArray owned = write(manager, new Shape(n, s[2], s[3], c), nhwc)) {
            return owned.transpose(0, 3, 1, 2);
        }
    }

    /**
     * A new float32 array of {@code manager} holding what {@code fill} puts. On the CPU,
     * {@code fill} writes into the array's own memory, which LibTorch allocated: one copy of the
     * batch instead of two (into a buffer, then {@code clone}).
     */
    private NDArray write(NDManager manager, Shape shape, Consumer<FloatBuffer> fill) {
        if (manager.getDevice().getDeviceType().equals(Device.Type.CPU)) {
            NDArray array = manager.create(shape, DataType.FLOAT32);
            // a fresh array is contiguous, so this is a view of its memory, not a copy
            fill.accept(array.toByteBuffer(true).asFloatBuffer());
            return array;
        }
        ByteBuffer view = view(Math.toIntExact(shape.size()));
        fill.accept(view.asFloatBuffer());
        try (NDArray staged = manager.create(view, shape, DataType.FLOAT32)) {
            return staged.duplicate();
        }
    }

    /** The staging buffer, grown if needed, as a view of its first {@code floats} floats. */
    private ByteBuffer view(int floats) {
        int bytes = floats * Float.BYTES;
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(bytes);
        return view;
    }
}
