package io.github.luzj.optim;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The numbers an optimizer step multiplies, divides and adds by ({@code beta1}, the bias
 * corrections, {@code eps}), as 0-dimensional arrays that the JVM rewrites in place.
 *
 * <p>DJL turns a number operand ({@code muli(0.9)}) into a new tensor over a new direct buffer,
 * and frees both after the call: about 85 µs a call beside an operation on the convnet's 411,850
 * parameters, against 35 µs for the operation with a 0-d array made once
 * (docs/performance-history.md, tenth session). On the CPU, DJL makes a tensor from a direct
 * buffer over the buffer's own memory, so here a step writes its numbers into one buffer from Java
 * and the operands, views of that tensor, hold them with no native call at all. An operand holds
 * the number rounded to the arrays' type, which is what LibTorch does with a number operand before
 * it computes, so every result is the same float as with {@code muli(0.9)}.
 *
 * <p>Whether the memory is shared is checked once, on the live engine, when the operands are
 * made; where it is not (a GPU, another engine or data type), {@link #operand} returns a fresh
 * number array, as DJL's own number operands are, for the step's scope to free.
 */
final class StepScalars {

    /**
     * One rule's operands for each parameter group, made at the group's first step and again
     * after the optimizer's state (where they live) was freed.
     */
    static final class ByGroup {
        private final int count;
        private final Map<ParamGroup, StepScalars> byGroup = new IdentityHashMap<>();

        /** @param count how many numbers the rule's step needs */
        ByGroup(int count) {
            this.count = count;
        }

        StepScalars of(ParamGroup group, NDArray like, UnaryOperator<NDArray> keep) {
            StepScalars numbers = byGroup.get(group);
            if (numbers == null || !numbers.isOpen()) {
                numbers = StepScalars.of(like, count, keep);
                byGroup.put(group, numbers);
            }
            return numbers;
        }
    }

    private final ByteBuffer buffer;
    private final NDArray values;
    private final List<NDArray> operands;
    private final DataType type;
    private final Device device;

    private StepScalars(
            ByteBuffer buffer,
            NDArray values,
            List<NDArray> operands,
            DataType type,
            Device device) {
        this.buffer = buffer;
        this.values = values;
        this.operands = operands;
        this.type = type;
        this.device = device;
    }

    /**
     * Operands that are a fresh number array at each use, as DJL's number operands are: for the
     * steps too rare to keep operands for.
     *
     * @return the operands
     */
    static StepScalars fresh() {
        return new StepScalars(null, null, List.of(), null, null);
    }

    /**
     * Makes {@code count} operands for arrays like {@code like} (same data type and device).
     *
     * @param like an array the operands will be used with
     * @param count how many numbers a step needs
     * @param keep moves a new array out of the step's scope into the optimizer's state memory
     * @return the operands, or ones that make a fresh array per use where memory is not shared
     */
    static StepScalars of(NDArray like, int count, UnaryOperator<NDArray> keep) {
        DataType type = like.getDataType();
        Device device = like.getDevice();
        boolean cpu = Device.Type.CPU.equals(device.getDeviceType());
        if ((type != DataType.FLOAT32 && type != DataType.FLOAT64) || !cpu) {
            return new StepScalars(null, null, List.of(), type, device);
        }
        NDManager manager = like.getManager();
        ByteBuffer buffer = ByteBuffer.allocateDirect(count * type.getNumOfBytes());
        buffer.order(ByteOrder.nativeOrder());
        NDArray values = keep.apply(manager.create(buffer, new Shape(count), type));
        List<NDArray> operands = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            operands.add(keep.apply(values.get(i)));
        }
        StepScalars shared = new StepScalars(buffer, values, operands, type, device);
        if (shared.sharesMemory()) {
            return shared;
        }
        shared.close();
        return new StepScalars(null, null, List.of(), type, device);
    }

    /** Writes a number through the buffer and reads it back through every operand. */
    private boolean sharesMemory() {
        for (int i = 0; i < operands.size(); i++) {
            write(i, i + 0.5);
            if (operands.get(i).toType(DataType.FLOAT64, false).getDouble() != i + 0.5) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns operand {@code slot} holding {@code value}, for an operation on {@code target}.
     * The operand changes at the next call for the same slot, so use it before.
     *
     * @param slot which operand, below the count the scalars were made with
     * @param value the number
     * @param target the array the operand will be used with
     * @return a 0-dimensional array holding {@code value} in {@code target}'s type
     */
    NDArray operand(int slot, double value, NDArray target) {
        if (values == null
                || values.isReleased()
                || target.getDataType() != type
                || !target.getDevice().equals(device)) {
            return target.getManager().create(value);
        }
        write(slot, value);
        return operands.get(slot);
    }

    private boolean isOpen() {
        return values == null || !values.isReleased();
    }

    /** Tells whether the operands share the buffer's memory (else each use makes a new array). */
    boolean shared() {
        return values != null;
    }

    private void write(int slot, double value) {
        if (type == DataType.FLOAT32) {
            buffer.putFloat(slot * Float.BYTES, (float) value);
        } else {
            buffer.putDouble(slot * Double.BYTES, value);
        }
    }

    /** Frees the arrays. */
    void close() {
        for (NDArray a : operands) {
            if (!a.isReleased()) {
                a.close();
            }
        }
        if (values != null && !values.isReleased()) {
            values.close();
        }
    }
}
