package io.github.luzj.fit.internal;

import ai.djl.Device;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import io.github.luzj.base.GradMode;
import io.github.luzj.data.ChannelsLastWeights;
import java.util.ArrayList;
import java.util.List;

/**
 * A block's forward pass as luzj runs it: the block's own pass, with layers that compute the same
 * function on cheaper kernels where the recipe allows it.
 *
 * <ul>
 *   <li><b>Batch norm folded into the convolutions next to it</b>, without training only, as
 *       PyTorch's {@code torch.fx} fuse, oneDNN and TensorRT do for inference: in eval mode a
 *       batch norm is {@code y = a·x + c} per channel, which a convolution before it or after it
 *       can absorb into its weights and bias, so the batch-norm pass over the activations goes
 *       away.
 *   <li><b>A convolution whose output is one pixel as a matrix product</b> ({@link
 *       OnePixelConvolution}), training or not.
 *   <li><b>A batch norm as the one LibTorch call it ends in</b> ({@link DirectBatchNorm}), without
 *       the two no-op transposes DJL wraps it in: the same floats bit for bit.
 * </ul>
 *
 * <p>The folded weights are computed once, when the pass is made, from the weights and running
 * statistics of that moment; they do not follow later changes, so an inference pass is made for
 * one {@code evaluate}, {@code predict} or validation and closed after it (closing frees them). A
 * training pass holds no arrays: it reads the parameters on every batch, as the block does.
 *
 * <p>The walk goes through DJL {@link SequentialBlock}s, nested ones included, and folds two
 * kinds of neighbours: a {@link Conv2d} followed by a {@link BatchNorm} (always exact), and a
 * {@code BatchNorm} followed by a {@code Conv2d} without padding and with one group (padding
 * would add zeros that the batch norm never shifted, so a padded one is left as it is). Each batch
 * norm's {@code a} and {@code c} are read by running the block itself on two probe inputs, which
 * keeps its epsilon and flags exactly as it has them; when that fails or does not give one value
 * per channel (a batch norm over another axis), the pair runs unfolded. Every other block runs as
 * it is, so the outputs are the block's own within float rounding; with nothing to rewrite the
 * pass is the block's own forward, bit for bit.
 */
final class ForwardPass implements AutoCloseable {

    /** One stage of the pass. */
    interface Stage {
        NDList run(NDList x);
    }

    private final NDManager manager;
    private final Stage plan;
    private final int fusedPairs;
    private final int matmulConvolutions;

    private ForwardPass(NDManager manager, Stage plan, Folder folder) {
        this.manager = manager;
        this.plan = plan;
        this.fusedPairs = folder == null ? 0 : folder.fused;
        this.matmulConvolutions = folder == null ? 0 : folder.matmul;
    }

    /**
     * Makes the pass of {@code session}'s block without training, batch norm folded and one-pixel
     * convolutions as matrix products unless the session's recipe turns them off, the other batch
     * norms as one call. Call it after the block is initialized.
     *
     * @param session the session, whose weights the pass reads now
     * @param parent the manager the folded weights' manager descends from
     * @return the pass; close it after the last batch
     */
    static ForwardPass inference(Session session, NDManager parent) {
        Recipe recipe = session.recipe();
        NDManager manager = parent.newSubManager(session.device());
        try (GradMode ignored = GradMode.off()) {
            return planned(session, manager, false, recipe.foldBatchNorm());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /**
     * Makes the training pass of {@code session}'s block: its own forward with {@code training =
     * true}, one-pixel convolutions as matrix products unless the recipe turns them off, batch
     * norms as one call. Nothing is folded, and the pass holds no arrays.
     *
     * @param session the session
     * @return the pass
     */
    static ForwardPass training(Session session) {
        return planned(session, null, true, false);
    }

    private static ForwardPass planned(Session session, NDManager manager, boolean training, boolean fold) {
        Block block = session.model().getBlock();
        ParameterStore ps = session.parameterStore();
        Folder folder = new Folder(ps, manager, session.device(), session.recipe(), training, fold);
        Stage plan = folder.stage(block);
        // with nothing rewritten, the block's own forward, exactly as without the rewrites
        boolean rewritten = folder.fused + folder.matmul + folder.directNorms > 0;
        return new ForwardPass(manager, rewritten ? plan : asIs(block, ps, training), folder);
    }

    /**
     * Runs the pass on {@code x}; a failure the engine reports becomes the forward pass's
     * {@link io.github.luzj.base.LuzjException} ({@link BatchErrors}).
     *
     * @param x the features
     * @return the block's output
     */
    NDList forward(NDList x) {
        return BatchErrors.forward(plan::run, x);
    }

    /** The number of batch norms folded into a convolution. */
    int fusedPairs() {
        return fusedPairs;
    }

    /** The number of convolutions that run as a matrix product (on batches shaped as at initialization). */
    int matmulConvolutions() {
        return matmulConvolutions;
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }

    private static Stage asIs(Block block, ParameterStore ps, boolean training) {
        return x -> block.forward(ps, x, training);
    }

    /** A convolution's weight and bias, and the per-channel a and c of the batch norm beside it. */
    private record Pair(NDArray w, NDArray b, NDArray a, NDArray c) {
        long channels() {
            return a.getShape().get(0);
        }
    }

    /** Walks a block and builds its stages, counting the folded pairs and matrix-product convolutions. */
    private static final class Folder {
        private final ParameterStore ps;
        private final NDManager manager;
        private final Device device;
        private final boolean channelsLast;
        private final boolean training;
        private final boolean fold;
        private final boolean matmulConvolutions;
        int fused;
        int matmul;
        int directNorms;

        Folder(ParameterStore ps, NDManager manager, Device device, Recipe recipe, boolean training, boolean fold) {
            this.ps = ps;
            this.manager = manager;
            this.device = device;
            this.channelsLast = recipe.channelsLast();
            this.training = training;
            this.fold = fold;
            this.matmulConvolutions = recipe.convolutionsAsMatmul();
        }

        Stage stage(Block block) {
            if (isConv(block) && matmulConvolutions && OnePixelConvolution.fits((Conv2d) block)) {
                matmul++;
                return onePixel((Conv2d) block);
            }
            if (isBatchNorm(block)) {
                Stage direct = DirectBatchNorm.stage((BatchNorm) block, ps, training);
                if (direct != null) {
                    directNorms++;
                    return direct;
                }
            }
            // a subclass may forward differently; only DJL's own sequence is walked
            if (block.getClass() != SequentialBlock.class
                    || ((SequentialBlock) block).isReturnIntermediate()) {
                return asIs(block, ps, training);
            }
            List<Block> children = new ArrayList<>(block.getChildren().values());
            List<Stage> stages = new ArrayList<>();
            for (int i = 0; i < children.size(); i++) {
                Block child = children.get(i);
                Block next = i + 1 < children.size() ? children.get(i + 1) : null;
                Stage folded = fold && next != null ? foldPair(child, next) : null;
                if (folded != null) {
                    stages.add(folded);
                    fused++;
                    i++;
                } else {
                    stages.add(stage(child));
                }
            }
            return x -> {
                NDList current = x;
                for (Stage s : stages) {
                    current = s.run(current);
                }
                return current;
            };
        }

        /** The convolution's own forward, or a matrix product on the batches it gives one pixel. */
        private Stage onePixel(Conv2d conv) {
            Parameter weight = conv.getParameters().get("weight");
            Parameter bias = conv.isIncludeBias() ? conv.getParameters().get("bias") : null;
            if (!training) {
                // the weights are fixed for an inference pass: its padded rows are made once
                NDArray w = ps.getValue(weight, device, false);
                NDArray b = bias == null ? null : ps.getValue(bias, device, false);
                return prepared(
                        OnePixelConvolution.prepare(conv, w, b, channelsLast, manager),
                        x -> conv.forward(ps, x, false));
            }
            Shape stride = conv.getStride();
            return x -> {
                NDArray in = x.singletonOrThrow();
                NDArray w = ps.getValue(weight, in.getDevice(), training);
                NDArray b = bias == null ? null : ps.getValue(bias, in.getDevice(), training);
                NDArray y = OnePixelConvolution.apply(in, w, b, stride, channelsLast);
                return y == null ? conv.forward(ps, x, training) : new NDList(y);
            };
        }

        /** The folded convolution of {@code first} and {@code second}, or null to run them apart. */
        private Stage foldPair(Block first, Block second) {
            if (isConv(first) && isBatchNorm(second)) {
                return convThenNorm((Conv2d) first, second);
            }
            if (isBatchNorm(first) && isConv(second)) {
                return normThenConv(first, (Conv2d) second);
            }
            return null;
        }

        /** W' = W·a[out], b' = a·b + c. */
        private Stage convThenNorm(Conv2d conv, Block norm) {
            Pair p = pair(conv, norm, 0);
            if (p == null) {
                return null;
            }
            // the probe's arrays first: a result belongs to its first operand's manager, this pass's
            NDArray folded = p.a.reshape(p.channels(), 1, 1, 1).mul(p.w);
            NDArray bias = p.b == null ? p.c : p.a.mul(p.b).add(p.c);
            return fusedConv(conv, folded, bias);
        }

        /** W' = W·a[in], b' = b + Σ over (in, kh, kw) of W·c[in]; only without padding. */
        private Stage normThenConv(Block norm, Conv2d conv) {
            if (conv.getGroups() != 1 || !allZero(conv.getPadding())) {
                return null;
            }
            Pair p = pair(conv, norm, 1);
            if (p == null) {
                return null;
            }
            Shape perInput = new Shape(1, p.channels(), 1, 1);
            NDArray folded = p.a.reshape(perInput).mul(p.w);
            NDArray shift = p.c.reshape(perInput).mul(p.w).sum(new int[] {1, 2, 3});
            NDArray bias = p.b == null ? shift : shift.add(p.b);
            return fusedConv(conv, folded, bias);
        }

        /**
         * The convolution's weight and bias (null without one) with the batch norm's {@code a}
         * and {@code c} over the weight's axis {@code axis} (0 for the outputs, 1 for the
         * inputs), or null when they cannot be folded.
         */
        private Pair pair(Conv2d conv, Block norm, int axis) {
            NDArray w = ps.getValue(conv.getParameters().get("weight"), device, false);
            if (w.getShape().dimension() != 4) {
                return null;
            }
            NDArray[] ac = affine(norm, w.getShape().get(axis), w);
            if (ac == null) {
                return null;
            }
            NDArray b =
                    conv.isIncludeBias()
                            ? ps.getValue(conv.getParameters().get("bias"), device, false)
                            : null;
            return new Pair(w, b, ac[0], ac[1]);
        }

        private Stage fusedConv(Conv2d conv, NDArray folded, NDArray bias) {
            // batches staged channels-last stay so through the network, and LibTorch would copy
            // a kernel laid out otherwise into their layout on every batch
            NDArray weight = channelsLast ? ChannelsLastWeights.copyOf(folded) : folded;
            Shape stride = conv.getStride();
            Shape padding = conv.getPadding();
            Shape dilation = conv.getDilation();
            int groups = conv.getGroups();
            // the folded kernel is fixed for the pass, so its padded rows are made once
            OnePixelConvolution.Prepared head =
                    matmulConvolutions
                            ? OnePixelConvolution.prepare(conv, weight, bias, channelsLast, manager)
                            : null;
            return prepared(head, x ->
                    Conv2d.conv2d(x.singletonOrThrow(), weight, bias, stride, padding, dilation, groups));
        }

        /** The prepared product on the batches it was made for, {@code otherwise} on the rest. */
        private static Stage prepared(OnePixelConvolution.Prepared head, Stage otherwise) {
            if (head == null) {
                return otherwise;
            }
            return x -> {
                NDArray y = head.apply(x.singletonOrThrow());
                return y != null ? new NDList(y) : otherwise.run(x);
            };
        }

        /**
         * The batch norm's eval-mode {@code a} and {@code c} over {@code channels} channels, read
         * by running it on zeros (which gives c) and ones (a + c), or null when it does not give one
         * value per channel of a (1, channels, 1, 1) input.
         */
        private NDArray[] affine(Block norm, long channels, NDArray like) {
            Shape probe = new Shape(1, channels, 1, 1);
            try {
                NDArray c = runNorm(norm, manager.zeros(probe, like.getDataType(), device), probe);
                NDArray aPlusC = runNorm(norm, manager.ones(probe, like.getDataType(), device), probe);
                if (c == null || aPlusC == null) {
                    return null;
                }
                return new NDArray[] {aPlusC.sub(c).reshape(channels), c.reshape(channels)};
            } catch (IllegalArgumentException | IllegalStateException | EngineException e) {
                return null; // not a per-channel batch norm of this convolution: left unfolded
            }
        }

        private NDArray runNorm(Block norm, NDArray probe, Shape shape) {
            NDList out = norm.forward(ps, new NDList(probe), false);
            if (out.size() != 1 || !out.head().getShape().equals(shape)) {
                return null;
            }
            NDArray y = out.head();
            y.attach(manager);
            return y;
        }

        private static boolean isConv(Block b) {
            return b.getClass() == Conv2d.class;
        }

        private static boolean isBatchNorm(Block b) {
            return b.getClass() == BatchNorm.class;
        }

        private static boolean allZero(Shape s) {
            for (long d : s.getShape()) {
                if (d != 0) {
                    return false;
                }
            }
            return true;
        }
    }
}
