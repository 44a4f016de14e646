package io.github.luzj.loss;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.training.loss.SoftmaxCrossEntropyLoss;
import io.github.luzj.base.LuzjException;

/**
 * DJL's sparse softmax cross-entropy, refusing labels that are not whole numbers: DJL turns a
 * label into a class index by truncating it, so 1.7 would train as class 1 without a word (torch
 * refuses float class indices). A class index out of range the engine refuses itself.
 *
 * <p>The check reads the batch's labels back to the JVM, one copy and no tensor operation. On the
 * CPU that costs about as much as a number operand; on a GPU it would make the host wait for the
 * forward pass at every batch, so there labels are taken as they are.
 */
final class ClassIndexCrossEntropy extends SoftmaxCrossEntropyLoss {

    ClassIndexCrossEntropy(String name) {
        super(name, 1f, -1, true, true);
    }

    @Override
    public NDArray evaluate(NDList labels, NDList predictions) {
        NDArray y = labels.singletonOrThrow();
        if (y.getDataType().isFloating() && Device.Type.CPU.equals(y.getDevice().getDeviceType())) {
            if (!wholeNumbers(y)) {
                throw new LuzjException(
                        "the loss " + getName() + " takes class indices 0, 1, 2, ... as labels, but a"
                                + " label of this batch is not a whole number (a fraction or NaN);"
                                + " label each example with its class index, or use Losses.mse()"
                                + " for a numeric target");
            }
        }
        return super.evaluate(labels, predictions);
    }

    /** Whether every label is a whole number (NaN is not). */
    private static boolean wholeNumbers(NDArray y) {
        if (y.getDataType() == DataType.FLOAT64) {
            for (double v : y.toDoubleArray()) {
                if (v != Math.floor(v)) {
                    return false;
                }
            }
            return true;
        }
        if (y.getDataType() == DataType.FLOAT32) {
            return wholeNumbers(y.toFloatArray());
        }
        try (NDArray single = y.toType(DataType.FLOAT32, false)) { // float16 and the like
            return wholeNumbers(single.toFloatArray());
        }
    }

    private static boolean wholeNumbers(float[] values) {
        for (float v : values) {
            if (v != Math.floor(v)) {
                return false;
            }
        }
        return true;
    }
}
