package io.github.luzj.metric;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** Device-side checks and conversions of class-index labels stored as floats. */
final class ClassLabels {

    private ClassLabels() {}

    /**
     * Counts the labels that are not whole numbers in [0, classes), on the device.
     *
     * @param labels class indices, any shape
     * @param classes the number of classes
     * @return an int64 scalar
     */
    static NDArray countInvalid(NDArray labels, long classes) {
        NDArray bad = labels.lt(0).logicalOr(labels.gte(classes));
        if (labels.getDataType().isFloating()) {
            // 2.5 or NaN would otherwise pass as class 2 or 0 after the cast
            bad = bad.logicalOr(labels.neq(labels.floor()));
        }
        return bad.toType(DataType.INT64, false).sum();
    }

    /**
     * Casts labels to int64 so they compare with argmax and top-k indices.
     *
     * @param labels class indices
     * @return the labels as int64
     */
    static NDArray asIndices(NDArray labels) {
        return labels.toType(DataType.INT64, false);
    }

    /**
     * Describes valid labels for {@code classes} classes, for error messages.
     *
     * @param classes the number of classes
     * @return the rule
     */
    static String rule(long classes) {
        return "class indices in [0, " + classes + ") (whole numbers 0.." + (classes - 1) + ")";
    }
}
