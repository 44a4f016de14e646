package io.github.luzj.examples.chapter;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.vision.models.ResNet18;
import java.nio.file.Path;

/**
 * The two arms of the transfer comparison: the pretrained backbone read back from its file, and
 * a randomly initialized one. Both are frozen and get a new 10-class head drawn from the same
 * seed, so the heads start equal and only the backbone differs.
 */
final class PretrainBackbones {

    static final int CLASSES = 10;

    private PretrainBackbones() {}

    /**
     * Loads pretrained weights, replaces the head and freezes the rest.
     *
     * @param weights the {@code .safetensors} file pretraining wrote
     * @param seed seeds the new head
     * @param manager owns the parameters
     * @return the network
     */
    static ResNet18 pretrained(Path weights, long seed, NDManager manager) {
        return withNewHead(ResNet18.pretrained(weights, manager), seed);
    }

    /**
     * Initializes a ResNet-18 at random (seeded, as a fit would), replaces the head and freezes
     * the rest. Its BatchNorm layers keep the running statistics of a new network (mean 0,
     * variance 1), as any never-trained torchvision ResNet-18 in eval mode.
     *
     * @param seed seeds the backbone and the head
     * @param manager owns the parameters
     * @return the network
     */
    static ResNet18 random(long seed, NDManager manager) {
        Engine.getInstance().setRandomSeed((int) seed);
        ResNet18 net = ResNet18.create(CLASSES);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 28, 28));
        return withNewHead(net, seed);
    }

    private static ResNet18 withNewHead(ResNet18 net, long seed) {
        Engine.getInstance().setRandomSeed((int) seed);
        net.replaceHead(CLASSES);
        net.freeze();
        return net;
    }
}
