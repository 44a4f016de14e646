package io.github.luzj.data;

import io.github.luzj.base.Checks;
import java.util.Arrays;

/**
 * A float array on the host with its shape: what samples, transforms and batches carry before the
 * batch becomes an NDArray on the device.
 *
 * @param data the values, row-major
 * @param shape the shape; its product equals {@code data.length}
 */
public record FloatTensor(float[] data, long[] shape) {

    /**
     * Checks that the shape matches the data.
     *
     * @param data the values
     * @param shape the shape
     */
    public FloatTensor {
        Checks.notNull("data", data, "pass the tensor's values");
        Checks.notNull("shape", shape, "pass the tensor's shape (an empty array for a scalar)");
        long n = 1; // saturates past a Java array's length, where a plain product could wrap round
        for (long d : shape) {
            if (d < 0) {
                throw Checks.fail("a tensor dimension", ">= 0", d);
            }
            if (n == 0 || d == 0) {
                n = 0;
            } else {
                n = n > Integer.MAX_VALUE || d > Integer.MAX_VALUE ? Long.MAX_VALUE : n * d;
            }
        }
        Checks.check(
                n == data.length,
                "tensor shape %s holds %s values but %d were given",
                Arrays.toString(shape),
                n > Integer.MAX_VALUE ? "more than " + Integer.MAX_VALUE : Long.toString(n),
                data.length);
    }

    /**
     * A scalar, the usual label.
     *
     * @param value the value
     * @return a tensor of shape {@code []}
     */
    public static FloatTensor scalar(float value) {
        return new FloatTensor(new float[] {value}, new long[0]);
    }

    /**
     * Returns the number of values.
     *
     * @return {@code data.length}
     */
    public int size() {
        return data.length;
    }
}
