package io.github.luzj.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Turns host batches into NDArrays through one direct buffer reused from batch to batch.
 *
 * <p>DJL copies a heap array into a fresh direct buffer that the new tensor then points at; that
 * buffer is freed only when the garbage collector finds it, so a training loop leaves tens of
 * megabytes of dead native memory behind every epoch and the process's resident memory swings
 * with the collector. Here the engine gets a view of the staging buffer and the batch a native
 * copy of it ({@code clone}), so that no batch ever points at memory the next batch overwrites.
 *
 * <p>One instance serves one loop on one thread; it is not thread-safe.
 */
public final class HostStaging {

    private ByteBuffer buffer;

    /**
     * Creates the batch's features as one float32 NDArray in {@code manager}.
     *
     * @param batch the host batch
     * @param manager the batch's manager, on the training device
     * @return the features
     */
    public NDList features(HostBatch batch, NDManager manager) {
        return new NDList(toArray(manager, batch.x()));
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
        int bytes = t.data().length * Float.BYTES;
        if (buffer == null || buffer.capacity() < bytes) {
            buffer = ByteBuffer.allocateDirect(bytes).order(ByteOrder.nativeOrder());
        }
        ByteBuffer view = buffer.duplicate().order(ByteOrder.nativeOrder());
        view.clear().limit(bytes);
        view.asFloatBuffer().put(t.data());
        try (NDArray staged = manager.create(view, new Shape(t.shape()), DataType.FLOAT32)) {
            return staged.duplicate();
        }
    }
}
