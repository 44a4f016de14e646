package io.github.luzj.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.nio.FloatBuffer;

/**
 * A batch assembled on the host by the loader: stacked features {@code [N, ...]} and labels
 * {@code [N, ...]}. The fit loop turns it into NDArrays in the batch's own manager.
 *
 * @param x stacked features
 * @param y stacked labels
 */
public record HostBatch(FloatTensor x, FloatTensor y) {

    /**
     * Returns the number of examples in the batch.
     *
     * @return the batch size
     */
    public int size() {
        return (int) x.shape()[0];
    }

    /**
     * Creates the features as one float32 NDArray in {@code manager}.
     *
     * @param manager the batch's manager, on the training device
     * @return the features
     */
    public NDList features(NDManager manager) {
        return new NDList(toArray(manager, x));
    }

    /**
     * Creates the labels as one float32 NDArray in {@code manager}.
     *
     * @param manager the batch's manager, on the training device
     * @return the labels
     */
    public NDList labels(NDManager manager) {
        return new NDList(toArray(manager, y));
    }

    private static NDArray toArray(NDManager manager, FloatTensor t) {
        return manager.create(FloatBuffer.wrap(t.data()), new Shape(t.shape()));
    }
}
