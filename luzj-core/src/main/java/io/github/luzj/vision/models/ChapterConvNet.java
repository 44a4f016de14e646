package io.github.luzj.vision.models;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.UniformInitializer;

/**
 * The convnet of the chapter "Speeding up training": five 3×3 convolutions (1→32 s1, 32→64 s2,
 * 64→128 s1, 128→256 s2, 256→10 s2), each of the first four followed by ReLU and, optionally,
 * batch normalization; the last one's 10×1×1 output squeezed to 10 logits. The convolutions
 * start from torch's default initialization, as the chapter's do.
 *
 * <pre>{@code
 * nn_conv2d(1, 32, kernel_size = 3, stride = 1), nn_relu(), nn_batch_norm2d(32), ...
 * }</pre>
 */
public final class ChapterConvNet {

    private static final int[] FILTERS = {32, 64, 128, 256};
    private static final int[] STRIDES = {1, 2, 1, 2};

    private ChapterConvNet() {}

    /**
     * Builds the network for 1×28×28 inputs with batch normalization after each of the first four
     * blocks.
     *
     * @return the network, uninitialized
     */
    public static SequentialBlock withBatchNorm() {
        return create(true);
    }

    /**
     * Builds the network for 1×28×28 inputs without batch normalization, the chapter's baseline.
     *
     * @return the network, uninitialized
     */
    public static SequentialBlock withoutBatchNorm() {
        return create(false);
    }

    private static SequentialBlock create(boolean batchNorm) {
        SequentialBlock net = new SequentialBlock();
        int channels = 1;
        for (int i = 0; i < FILTERS.length; i++) {
            net.add(conv(channels, FILTERS[i], STRIDES[i])).add(Activation.reluBlock());
            channels = FILTERS[i];
            if (batchNorm) {
                // DJL's momentum 0.9 is PyTorch's default momentum 0.1; eps 1e-5 as PyTorch.
                net.add(BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build());
            }
        }
        net.add(conv(channels, 10, 2)).add(Blocks.batchFlattenBlock());
        return net;
    }

    /**
     * A 3×3 convolution initialized as torch's {@code nn_conv2d} is: weights and bias uniform in
     * ±1/sqrt(fan_in) ({@code kaiming_uniform_(a = sqrt(5))} works out to that bound). DJL's
     * default, He-normal weights and zero bias, draws weights √6 times as large, which keeps a
     * deep ReLU stack's activations at scale by itself and so takes away much of what batch
     * normalization is there to show.
     */
    private static Conv2d conv(int inChannels, int filters, int stride) {
        Conv2d conv =
                Conv2d.builder()
                        .setKernelShape(new Shape(3, 3))
                        .setFilters(filters)
                        .optStride(new Shape(stride, stride))
                        .build();
        UniformInitializer torchDefault =
                new UniformInitializer((float) (1 / Math.sqrt(inChannels * 3 * 3)));
        conv.setInitializer(torchDefault, Parameter.Type.WEIGHT);
        conv.setInitializer(torchDefault, Parameter.Type.BIAS);
        return conv;
    }
}
