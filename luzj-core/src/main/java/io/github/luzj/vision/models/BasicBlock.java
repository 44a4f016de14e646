package io.github.luzj.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * torchvision's {@code BasicBlock}: {@code relu(bn2(conv2(relu(bn1(conv1(x))))) + shortcut(x))},
 * both convolutions 3×3 without bias, the shortcut the identity or, when the block changes the
 * stride or the width, {@code downsample = Sequential(conv1x1(stride), BatchNorm)}.
 */
final class BasicBlock extends AbstractBlock {

    private static final byte VERSION = 1;

    private final Block conv1;
    private final Block bn1;
    private final Block conv2;
    private final Block bn2;
    private final Block downsample;

    /**
     * Creates the block.
     *
     * @param inChannels the input's channels
     * @param channels the output's channels
     * @param stride the first convolution's stride (2 where a stage halves the resolution)
     */
    BasicBlock(int inChannels, int channels, int stride) {
        super(VERSION);
        conv1 = conv(channels, 3, stride, 1);
        bn1 = ResNet18.batchNorm();
        conv2 = conv(channels, 3, 1, 1);
        bn2 = ResNet18.batchNorm();
        downsample =
                stride != 1 || inChannels != channels
                        ? new NamedSequence(conv(channels, 1, stride, 0), ResNet18.batchNorm())
                        : null;
        children.add("conv1", conv1);
        children.add("bn1", bn1);
        children.add("conv2", conv2);
        children.add("bn2", bn2);
        if (downsample != null) {
            children.add("downsample", downsample);
        }
    }

    static Conv2d conv(int filters, int kernel, int stride, int padding) {
        return Conv2d.builder()
                .setFilters(filters)
                .setKernelShape(new Shape(kernel, kernel))
                .optStride(new Shape(stride, stride))
                .optPadding(new Shape(padding, padding))
                .optBias(false)
                .build();
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray out = conv1.forward(ps, inputs, training, params).head();
        out = bn1.forward(ps, new NDList(out), training, params).head();
        out = Activation.relu(out);
        out = conv2.forward(ps, new NDList(out), training, params).head();
        out = bn2.forward(ps, new NDList(out), training, params).head();
        NDArray shortcut =
                downsample == null ? x : downsample.forward(ps, inputs, training, params).head();
        return new NDList(Activation.relu(out.add(shortcut)));
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        conv1.initialize(manager, dataType, shapes);
        Shape[] s = conv1.getOutputShapes(shapes);
        bn1.initialize(manager, dataType, s);
        conv2.initialize(manager, dataType, s);
        bn2.initialize(manager, dataType, conv2.getOutputShapes(s));
        if (downsample != null) {
            downsample.initialize(manager, dataType, shapes);
        }
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv2.getOutputShapes(conv1.getOutputShapes(inputShapes));
    }
}
