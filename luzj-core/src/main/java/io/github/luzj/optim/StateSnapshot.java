package io.github.luzj.optim;

import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The optimizer's state copied to the host, and its binary format. Arrays are kept as their raw
 * bytes so that a save and load round trip is bitwise.
 *
 * <p>Format (big-endian, {@link DataOutputStream}): magic {@code "LZOP"}, version, kind, then per
 * group its name, lr, momentum (beta1), beta2, eps, weight decay and parameters; per parameter its
 * name, shape, step count and the optional arrays {@code exp_avg}, {@code exp_avg_sq},
 * {@code momentum_buffer}, each as data type and raw bytes in the machine's order.
 *
 * <p>Version 2 adds schedule-free AdamW's state: after the kind, whether the parameters are at
 * the training point; after each group's weight decay its counters ({@link Clock}); after each
 * parameter's momentum buffer the optional arrays {@code z}, the training point {@code y}
 * (a checkpoint taken mid-epoch) and the accumulated gradient (a checkpoint taken in the middle of
 * a gradient accumulation). Version 1 still reads.
 *
 * @param kind the optimizer kind
 * @param trainMode schedule-free AdamW's mode when saved (false: the weights are at x)
 * @param groups the groups in the optimizer's order
 */
record StateSnapshot(OptimizerSpec.Kind kind, boolean trainMode, List<GroupState> groups) {

    private static final int MAGIC = 0x4C5A4F50; // "LZOP"
    private static final int VERSION = 2;
    private static final int MAX_COUNT = 1 << 24;
    private static final int MAX_RANK = 32;

    /**
     * One group's saved hyperparameters and parameter states.
     *
     * @param name the group name
     * @param lr the learning rate
     * @param momentum SGD's momentum or Adam's beta1
     * @param beta2 Adam's beta2
     * @param eps Adam's epsilon
     * @param weightDecay the weight decay
     * @param clock schedule-free AdamW's counters, {@link Clock#NONE} for other kinds
     * @param params the parameters in the group's order
     */
    record GroupState(
            String name,
            double lr,
            double momentum,
            double beta2,
            double eps,
            double weightDecay,
            Clock clock,
            List<ParamEntry> params) {}

    /**
     * Schedule-free AdamW's counters of one group ({@code k}, {@code weight_sum},
     * {@code lr_max} of the reference's {@code param_groups}).
     *
     * @param k steps taken
     * @param weightSum the sum of the averaging weights
     * @param lrMax the largest scheduled learning rate so far, -1 before the first step
     */
    record Clock(long k, double weightSum, double lrMax) {
        static final Clock NONE = new Clock(0, 0, -1);
    }

    /**
     * One parameter's saved state; an absent array is null.
     *
     * @param name the parameter's name (model path)
     * @param shape the parameter's shape
     * @param step the number of updates taken
     * @param expAvg Adam's first moment
     * @param expAvgSq Adam's second moment
     * @param momentumBuffer SGD's momentum buffer
     * @param z schedule-free AdamW's fast iterate
     * @param trainPoint schedule-free AdamW's y, when saved in the middle of training
     * @param gradient the accumulated gradient, when saved in the middle of an accumulation
     */
    record ParamEntry(
            String name,
            Shape shape,
            long step,
            HostArray expAvg,
            HostArray expAvgSq,
            HostArray momentumBuffer,
            HostArray z,
            HostArray trainPoint,
            HostArray gradient) {}

    /**
     * An array's bytes on the host; its shape is the parameter's.
     *
     * @param dataType the element type
     * @param data the raw bytes
     */
    record HostArray(DataType dataType, byte[] data) {}

    /**
     * Writes the snapshot.
     *
     * @param out the stream, left open
     * @throws IOException if writing fails
     */
    void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(VERSION);
        out.writeUTF(kind.name());
        out.writeBoolean(trainMode);
        out.writeInt(groups.size());
        for (GroupState g : groups) {
            out.writeUTF(g.name());
            out.writeDouble(g.lr());
            out.writeDouble(g.momentum());
            out.writeDouble(g.beta2());
            out.writeDouble(g.eps());
            out.writeDouble(g.weightDecay());
            out.writeLong(g.clock().k());
            out.writeDouble(g.clock().weightSum());
            out.writeDouble(g.clock().lrMax());
            out.writeInt(g.params().size());
            for (ParamEntry p : g.params()) {
                out.writeUTF(p.name());
                long[] dims = p.shape().getShape();
                out.writeInt(dims.length);
                for (long d : dims) {
                    out.writeLong(d);
                }
                out.writeLong(p.step());
                writeArray(out, p.expAvg());
                writeArray(out, p.expAvgSq());
                writeArray(out, p.momentumBuffer());
                writeArray(out, p.z());
                writeArray(out, p.trainPoint());
                writeArray(out, p.gradient());
            }
        }
        out.flush();
    }

    /**
     * Reads a snapshot written by {@link #write}. A saved array is read only when the model's
     * parameter of that name can hold it, and never allocates more than the stream holds: a forged
     * length fails with a message, not with an {@link OutOfMemoryError}.
     *
     * @param in the stream, left open
     * @param modelShapes the shapes of the model's parameters by name, each saved array's bound
     * @return the snapshot
     * @throws IOException if reading fails
     * @throws LuzjException if the stream is not an optimizer state, is cut short, or holds an
     *     array larger than the model's parameter of that name
     */
    static StateSnapshot read(DataInputStream in, Map<String, Shape> modelShapes)
            throws IOException {
        try {
            int magic = in.readInt();
            Checks.check(
                    magic == MAGIC,
                    "not a luzj optimizer state (starts with 0x%08X, expected 0x%08X); pass the"
                            + " stream written by LuzOptimizer.saveState",
                    magic,
                    MAGIC);
            int version = in.readInt();
            Checks.check(
                    version == 1 || version == VERSION,
                    "optimizer state version %s is not supported, expected %s; save it again"
                            + " with this version of luzj",
                    version,
                    VERSION);
            OptimizerSpec.Kind kind = readKind(in.readUTF());
            boolean trainMode = version >= 2 && in.readBoolean();
            int groupCount = readCount(in, "group count");
            List<GroupState> groups = new ArrayList<>();
            for (int i = 0; i < groupCount; i++) {
                String name = in.readUTF();
                double lr = in.readDouble();
                double momentum = in.readDouble();
                double beta2 = in.readDouble();
                double eps = in.readDouble();
                double wd = in.readDouble();
                Clock clock =
                        version >= 2
                                ? new Clock(in.readLong(), in.readDouble(), in.readDouble())
                                : Clock.NONE;
                int paramCount = readCount(in, "parameter count of group '" + name + "'");
                List<ParamEntry> params = new ArrayList<>();
                for (int j = 0; j < paramCount; j++) {
                    params.add(readParam(in, version, modelShapes));
                }
                groups.add(new GroupState(name, lr, momentum, beta2, eps, wd, clock, params));
            }
            return new StateSnapshot(kind, trainMode, List.copyOf(groups));
        } catch (EOFException e) {
            throw new LuzjException(
                    "the optimizer state ends too early; the checkpoint is truncated, save it"
                            + " again",
                    e);
        }
    }

    private static ParamEntry readParam(
            DataInputStream in, int version, Map<String, Shape> modelShapes) throws IOException {
        String name = in.readUTF();
        int rank = in.readInt();
        Checks.check(
                rank >= 0 && rank <= MAX_RANK,
                "corrupt optimizer state: parameter '%s' has rank %s, expected 0 to %s",
                name,
                rank,
                MAX_RANK);
        long[] dims = new long[rank];
        long elements = 1;
        for (int k = 0; k < rank; k++) {
            dims[k] = in.readLong();
            Checks.check(
                    dims[k] >= 0,
                    "corrupt optimizer state: parameter '%s' has dimension %s",
                    name,
                    dims[k]);
            try {
                // Shape.size() would wrap: [3, 6148914691236517205] gives -1 elements
                elements = Math.multiplyExact(elements, dims[k]);
            } catch (ArithmeticException e) {
                throw new LuzjException(
                        "corrupt optimizer state: parameter '" + name + "' has shape "
                                + new Shape(dims) + ", more elements than a long counts; the"
                                + " checkpoint is damaged, save it again",
                        e);
            }
        }
        Shape shape = new Shape(dims);
        long step = in.readLong();
        Checks.check(
                step >= 0, "corrupt optimizer state: parameter '%s' has step %s", name, step);
        Saved saved = new Saved(name, shape, elements, modelShapes.get(name));
        return new ParamEntry(
                name,
                shape,
                step,
                readArray(in, saved),
                readArray(in, saved),
                readArray(in, saved),
                version >= 2 ? readArray(in, saved) : null,
                version >= 2 ? readArray(in, saved) : null,
                version >= 2 ? readArray(in, saved) : null);
    }

    /**
     * What {@link #readArray} checks a saved array's length against.
     *
     * @param name the parameter's name
     * @param shape its shape in the stream
     * @param elements that shape's element count, counted without overflow
     * @param model its shape in the model, or null when the model has no parameter of that name
     *     ({@code LuzOptimizer} then refuses the state, naming it, once it is read)
     */
    private record Saved(String name, Shape shape, long elements, Shape model) {}

    private static void writeArray(DataOutputStream out, HostArray a) throws IOException {
        out.writeBoolean(a != null);
        if (a != null) {
            out.writeUTF(a.dataType().name());
            out.writeInt(a.data().length);
            out.write(a.data());
        }
    }

    private static HostArray readArray(DataInputStream in, Saved p) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        String typeName = in.readUTF();
        DataType type;
        try {
            type = DataType.valueOf(typeName);
        } catch (IllegalArgumentException e) {
            throw new LuzjException(
                    "corrupt optimizer state: parameter '" + p.name() + "' has unknown data type '"
                            + typeName + "'",
                    e);
        }
        int length = in.readInt();
        long expected;
        try {
            expected = Math.multiplyExact(p.elements(), type.getNumOfBytes());
        } catch (ArithmeticException e) {
            expected = Long.MAX_VALUE; // no int length matches it
        }
        Checks.check(
                length >= 0 && length == expected,
                "corrupt optimizer state: parameter '%s' has %s bytes of state for shape %s of"
                        + " %s, expected %s",
                p.name(),
                length,
                p.shape(),
                type,
                expected);
        if (p.model() != null) {
            // a state must match its parameter, so the live array bounds what is worth reading
            long most = p.model().size() * type.getNumOfBytes();
            Checks.check(
                    length <= most,
                    "optimizer state does not match the model: parameter '%s' has shape %s in the"
                            + " saved state but %s in the model (%s bytes of %s state, at most %s"
                            + " fit); load a state saved from the same model",
                    p.name(),
                    p.shape(),
                    p.model(),
                    length,
                    type,
                    most);
        }
        // grows with what is really there: a forged length on a short stream allocates nothing big
        byte[] data = in.readNBytes(length);
        if (data.length < length) {
            throw new EOFException(
                    "parameter '" + p.name() + "' announces " + length + " bytes, " + data.length
                            + " follow");
        }
        return new HostArray(type, data);
    }

    private static int readCount(DataInputStream in, String what) throws IOException {
        int n = in.readInt();
        Checks.check(
                n >= 0 && n <= MAX_COUNT, "corrupt optimizer state: %s is %s", what, n);
        return n;
    }

    private static OptimizerSpec.Kind readKind(String name) {
        try {
            return OptimizerSpec.Kind.valueOf(name);
        } catch (IllegalArgumentException e) {
            throw new LuzjException(
                    "corrupt optimizer state: unknown optimizer kind '" + name + "'", e);
        }
    }
}
