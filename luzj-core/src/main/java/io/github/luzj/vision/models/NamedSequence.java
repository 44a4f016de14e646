package io.github.luzj.vision.models;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * Blocks applied one after the other, named {@code 0, 1, 2, ...} as PyTorch's
 * {@code nn.Sequential} names them, so that parameter paths follow torchvision's names
 * ({@code layer2_0_downsample_1_gamma} for {@code layer2.0.downsample.1.weight}).
 *
 * <p>DJL's {@code SequentialBlock} prefixes its children with a counter and their class name
 * ({@code 01Conv2d}); the torchvision names are what the weight files and the freezing API speak.
 */
final class NamedSequence extends AbstractBlock {

    private static final byte VERSION = 1;

    /**
     * Creates the sequence.
     *
     * @param blocks the blocks, in order
     */
    NamedSequence(Block... blocks) {
        super(VERSION);
        for (int i = 0; i < blocks.length; i++) {
            // the protected list, not addChildBlock, which would prefix "01" to the name
            children.add(Integer.toString(i), blocks[i]);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore parameterStore,
            NDList inputs,
            boolean training,
            PairList<String, Object> params) {
        NDList x = inputs;
        for (Block b : children.values()) {
            x = b.forward(parameterStore, x, training, params);
        }
        return x;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        Shape[] s = shapes;
        for (Block b : children.values()) {
            b.initialize(manager, dataType, s);
            s = b.getOutputShapes(s);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape[] s = inputShapes;
        for (Block b : children.values()) {
            s = b.getOutputShapes(s);
        }
        return s;
    }
}
