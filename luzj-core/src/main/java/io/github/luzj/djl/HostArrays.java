package io.github.luzj.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import java.util.Arrays;
import java.util.Locale;

/** Copies DJL arrays to luzj's host tensors, checking that they fit luzj's one-array samples. */
final class HostArrays {

    private HostArrays() {}

    /**
     * The single data array of a record or batch, copied to the host.
     *
     * @param list the record's or batch's data
     * @param dropLeading true to remove the batch axis of a batch of one
     * @param source the dataset, for messages
     * @return the host copy
     */
    static FloatTensor data(NDList list, boolean dropLeading, Object source) {
        return toHost(single(list, "data", source), dropLeading, "data", source);
    }

    /**
     * The single label array of a record or batch, copied to the host.
     *
     * @param list the record's or batch's labels
     * @param dropLeading true to remove the batch axis of a batch of one
     * @param source the dataset, for messages
     * @return the host copy
     */
    static FloatTensor labels(NDList list, boolean dropLeading, Object source) {
        return toHost(single(list, "label", source), dropLeading, "labels", source);
    }

    /**
     * Returns the single array of {@code list}, failing with a message that names the dataset.
     *
     * @param list a record's data or labels
     * @param what "data" or "labels"
     * @param source the dataset, for the message
     * @return the array
     */
    static NDArray single(NDList list, String what, Object source) {
        int n = list == null ? 0 : list.size();
        if (n != 1) {
            throw new LuzjException(
                    String.format(
                            Locale.ROOT,
                            "a record of %s has %d %s arrays, but a luzj sample carries exactly one"
                                    + " features array and one label array; give the DJL dataset"
                                    + " one data array and one label array (concatenate several"
                                    + " inputs, or add a label), or write a luzj SampleDataset",
                            source.getClass().getSimpleName(),
                            n,
                            what));
        }
        return list.head();
    }

    /**
     * Copies {@code array} to a float tensor, optionally dropping a leading axis of length 1.
     *
     * @param array a numeric array
     * @param dropLeading true to remove the batch axis of a batch of one
     * @param what "data" or "labels", for messages
     * @param source the dataset, for messages
     * @return the host copy
     */
    static FloatTensor toHost(NDArray array, boolean dropLeading, String what, Object source) {
        DataType type = array.getDataType();
        if (!(type.isFloating() || type.isInteger() || type.isBoolean())
                || type == DataType.COMPLEX64) {
            throw new LuzjException(
                    "the "
                            + what
                            + " of "
                            + source.getClass().getSimpleName()
                            + " has data type "
                            + type
                            + ", which luzj cannot turn into floats; convert it to numbers in the"
                            + " dataset (or its Pipeline) first");
        }
        long[] shape = array.getShape().getShape();
        if (dropLeading) {
            if (shape.length == 0 || shape[0] != 1) {
                throw new LuzjException(
                        "expected the "
                                + what
                                + " of one record of "
                                + source.getClass().getSimpleName()
                                + " to have a leading batch axis of 1, got shape "
                                + new Shape(shape)
                                + "; use a stacking Batchifier (DJL's default) on the dataset");
            }
            shape = Arrays.copyOfRange(shape, 1, shape.length);
        }
        float[] values;
        if (type == DataType.FLOAT32) {
            values = array.toFloatArray();
        } else {
            try (NDArray asFloat = array.toType(DataType.FLOAT32, false)) {
                values = asFloat.toFloatArray();
            }
        }
        return new FloatTensor(values, shape);
    }
}
