package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A scalar that lives on the device and grows by in-place addition, so that accumulating a batch
 * never copies to the host. Only {@link #read()} syncs.
 */
final class RunningSum {

    private final NDManager manager;
    private final DataType type;
    private NDArray sum;

    /**
     * Creates a zero sum in {@code manager}.
     *
     * @param manager the owner of the sum
     * @param type the sum's type: {@link DataType#INT64} for counts, {@link #realType} for reals
     */
    RunningSum(NDManager manager, DataType type) {
        this.manager = manager;
        this.type = type;
        this.sum = zero();
    }

    /**
     * Returns the type for real-valued sums on {@code manager}'s device: float64, so long epochs
     * do not lose digits, except on Apple's MPS, which has no float64.
     *
     * @param manager the manager the sum will live in
     * @return the data type
     */
    static DataType realType(NDManager manager) {
        return "mps".equalsIgnoreCase(manager.getDevice().getDeviceType())
                ? DataType.FLOAT32
                : DataType.FLOAT64;
    }

    /**
     * Adds a one-element array in place. Temporaries belong to the caller's {@link NDScope}.
     *
     * @param value a scalar or one-element array, on any device
     */
    void add(NDArray value) {
        NDArray v = value.getShape().isScalar() ? value : value.reshape(new Shape());
        sum.addi(v.toDevice(sum.getDevice(), false));
    }

    /**
     * Reads the sum to the host: the one device-to-host copy.
     *
     * @return the sum
     */
    double read() {
        return switch (sum.getDataType()) {
            case FLOAT64 -> sum.getDouble();
            case FLOAT32 -> sum.getFloat();
            default -> sum.getLong();
        };
    }

    /**
     * Replaces the sum, for a resumed epoch: a double holds every int64 count below 2^53 and
     * every float64 sum exactly.
     *
     * @param value the saved sum
     */
    void set(double value) {
        NDArray v = manager.create(value).toType(type, false);
        NDScope.unregister(v);
        sum.close();
        sum = v;
    }

    /** Sets the sum back to zero. */
    void reset() {
        // a fresh zero rather than multiplying by 0, which would keep a diverged epoch's NaN
        sum.close();
        sum = zero();
    }

    private NDArray zero() {
        NDArray z = manager.zeros(new Shape(), type);
        // a caller's scope must not close a sum that outlives it
        NDScope.unregister(z);
        return z;
    }
}
