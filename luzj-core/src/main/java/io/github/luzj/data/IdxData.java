package io.github.luzj.data;

import java.util.Arrays;

/**
 * The content of one unsigned-byte IDX file: its dimensions and its bytes, row-major.
 *
 * @param dims the dimensions, the first being the number of items
 * @param data the values, {@code product(dims)} bytes
 */
public record IdxData(int[] dims, byte[] data) {

    /**
     * Returns the number of items (the first dimension).
     *
     * @return {@code dims[0]}
     */
    public int count() {
        return dims[0];
    }

    /**
     * Returns the number of bytes of one item (the product of the other dimensions).
     *
     * @return bytes per item
     */
    public int itemSize() {
        int n = 1;
        for (int i = 1; i < dims.length; i++) {
            n *= dims[i];
        }
        return n;
    }

    @Override
    public String toString() {
        return "IdxData" + Arrays.toString(dims);
    }
}
