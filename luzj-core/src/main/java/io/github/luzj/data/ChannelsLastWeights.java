package io.github.luzj.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import io.github.luzj.base.GradMode;
import io.github.luzj.base.MemoryOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * Creates a block's 4-D parameters (convolution kernels) channels-last: the shape every block
 * sees stays {@code [out, in, kh, kw]}, the memory is {@code [out, kh, kw, in]}, as PyTorch's
 * {@code model.to(memory_format=torch.channels_last)} lays them out.
 *
 * <p>With channels-last batches ({@link HostStaging}) LibTorch's convolution wants its kernel
 * channels-last too and otherwise copies it into that layout on every forward pass, and copies
 * the kernel's gradient back on every backward pass (for the chapter's convnet five kernels, 1.6
 * MB, each way a batch). Created channels-last, they are used as they are. The values are the same either way; only the memory order differs, and every DJL read or
 * write (toFloatArray, set, copyTo, encode) goes by the shape, not the memory.
 *
 * <p>DJL offers no way to change a parameter's array once it exists, so the layout is chosen
 * when the array is created: the parameters' initializers are wrapped for the one call to
 * {@code Block.initialize} and given back afterwards. Parameters already initialized keep their
 * layout (they are correct, only slower). Only the fit's own initialization uses this: a saved
 * model loads into a block laid out as DJL lays it out, and a given layout computes the same
 * floats every time, which checkpoints and their bitwise-equal reloads rely on.
 */
public final class ChannelsLastWeights {

    private ChannelsLastWeights() {}

    /**
     * Does what {@code block.initialize(manager, dataType, inputShapes)} does, with every 4-D
     * parameter it creates laid out channels-last. The initializers draw the same random numbers,
     * so the values are the ones {@code Block.initialize} would give.
     *
     * @param block the block, not yet initialized (initialized parameters are left as they are)
     * @param manager owns the parameters
     * @param dataType the parameters' data type
     * @param inputShapes the input shapes, as for {@code Block.initialize}
     */
    public static void initialize(
            Block block, NDManager manager, DataType dataType, Shape... inputShapes) {
        List<Parameter> wrapped = new ArrayList<>();
        List<Initializer> originals = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            Initializer original = param.getInitializer();
            if (!param.isInitialized() && original != null) {
                wrapped.add(param);
                originals.add(original);
                param.setInitializer(new ChannelsLastInitializer(original));
            }
        }
        try {
            block.initialize(manager, dataType, inputShapes);
        } finally {
            for (int i = 0; i < wrapped.size(); i++) {
                wrapped.get(i).setInitializer(originals.get(i));
            }
        }
    }

    /**
     * Writes {@code values} into {@code parameter}'s own memory, by shape, keeping its layout:
     * DJL's {@code set(Buffer)} and {@code copyTo} give the array fresh contiguous memory, which
     * loses a channels-last kernel's layout. Gradients are off for the copy, since the copy into
     * a trainable leaf is not part of any graph.
     *
     * @param parameter the parameter's array
     * @param values the values, of the same shape and data type
     */
    public static void copyInto(NDArray parameter, NDArray values) {
        try (GradMode ignored = GradMode.off()) {
            parameter.set(ALL, values);
        }
    }

    /** The whole array, for a copy into it ({@code copy_}). */
    private static final NDIndex ALL = new NDIndex("...");

    /**
     * Returns a copy of a 4-D array, same shape and values, channels-last in memory. The
     * elements are copied in NHWC order (a reshape of the non-contiguous NHWC view of an NCHW
     * array copies), then viewed back in the original shape.
     *
     * @param nchw a 4-D array
     * @return the copy, in {@code nchw}'s manager
     */
    public static NDArray copyOf(NDArray nchw) {
        try (NDArray flat = MemoryOrder.nhwcFlat(nchw)) {
            return MemoryOrder.channelsLastView(flat, nchw.getShape());
        }
    }

    /** Lays the wrapped initializer's 4-D arrays out channels-last, others as they come. */
    private record ChannelsLastInitializer(Initializer inner) implements Initializer {

        @Override
        public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
            NDArray created = inner.initialize(manager, shape, dataType);
            if (shape.dimension() != 4) {
                return created;
            }
            try (created) {
                return copyOf(created);
            }
        }
    }
}
