package io.github.luzj.vision;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;

/**
 * The convnet of the chapter "Speeding up training": five 3×3 convolutions (1→32 s1, 32→64 s2,
 * 64→128 s1, 128→256 s2, 256→10 s2), each of the first four followed by ReLU and, optionally,
 * batch normalization; the last one's 10×1×1 output squeezed to 10 logits.
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
     * Builds the network for 1×28×28 inputs.
     *
     * @param batchNorm whether to put batch normalization after each of the first four blocks
     * @return the network, uninitialized
     */
    public static SequentialBlock create(boolean batchNorm) {
        SequentialBlock net = new SequentialBlock();
        for (int i = 0; i < FILTERS.length; i++) {
            net.add(conv(FILTERS[i], STRIDES[i])).add(Activation.reluBlock());
            if (batchNorm) {
                // DJL's momentum 0.9 is PyTorch's default momentum 0.1; eps 1e-5 as PyTorch.
                net.add(BatchNorm.builder().optMomentum(0.9f).optEpsilon(1e-5f).build());
            }
        }
        net.add(conv(10, 2)).add(Blocks.batchFlattenBlock());
        return net;
    }

    private static Conv2d conv(int filters, int stride) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(filters)
                .optStride(new Shape(stride, stride))
                .build();
    }
}
