package io.github.luzj.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.github.luzj.base.Checks;
import io.github.luzj.base.GradMode;
import io.github.luzj.weights.StateDict;
import io.github.luzj.weights.WeightFiles;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * torchvision's ResNet-18 as a DJL block, layer for layer: {@code conv1} (7×7, stride 2, padding
 * 3, no bias), {@code bn1}, ReLU, 3×3 max pooling (stride 2, padding 1), {@code layer1} to
 * {@code layer4} of two {@link BasicBlock}s each (64, 128, 256, 512 channels; {@code layer2} to
 * {@code layer4} start with stride 2 and a 1×1 convolution + BatchNorm shortcut), adaptive average
 * pooling to 1×1, and the head {@code fc}.
 *
 * <p>Parameter paths follow torchvision's names with {@code _} for {@code .}
 * ({@code layer2_0_downsample_0_weight}); BatchNorm's {@code weight}/{@code bias} are DJL's
 * {@code gamma}/{@code beta}. BatchNorm uses PyTorch's epsilon 1e-5 and momentum 0.1 (DJL's 0.9).
 *
 * <pre>{@code
 * try (NDManager manager = NDManager.newBaseManager()) {
 *     ResNet18 net = ResNet18.pretrained(Path.of("resnet18.safetensors"), manager);
 *     net.replaceHead(10);
 *     net.freeze();
 *     Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam()).fit(train, 3, valid);
 * }
 * }</pre>
 *
 * <p>Frozen layers run with {@code training = false} (see {@link FineTunable}).
 */
public final class ResNet18 extends TunableBlock {

    private static final byte VERSION = 1;
    private static final int FEATURES = 512;
    private static final List<String> LAYERS =
            List.of("conv1", "bn1", "layer1", "layer2", "layer3", "layer4");

    private final Block conv1;
    private final Block bn1;
    private final Block layer1;
    private final Block layer2;
    private final Block layer3;
    private final Block layer4;
    private Linear fc;

    private ResNet18(int classes) {
        super(VERSION);
        conv1 = BasicBlock.conv(64, 7, 2, 3);
        bn1 = batchNorm();
        layer1 = stage(64, 64, 1);
        layer2 = stage(64, 128, 2);
        layer3 = stage(128, 256, 2);
        layer4 = stage(256, 512, 2);
        fc = head(classes);
        headSize(classes);
        setChildren();
    }

    /**
     * Creates an untrained ResNet-18 whose parameters are initialized when it is first fitted.
     *
     * @param classes the head's output size, {@code >= 1}
     * @return the network, every parameter trainable
     */
    public static ResNet18 create(int classes) {
        checkClasses(classes);
        return new ResNet18(classes);
    }

    /**
     * Loads a torchvision ResNet-18 {@code state_dict} ({@code .safetensors}, or a {@code .pth}
     * zip archive) into a new network whose head has as many classes as the file's
     * {@code fc.weight}, every parameter trainable as torchvision's {@code resnet18(weights=...)}.
     *
     * @param weights the weight file
     * @param manager owns the parameters; its device is the network's
     * @return the network with the file's weights and BatchNorm statistics
     */
    public static ResNet18 pretrained(Path weights, NDManager manager) {
        Checks.notNull("manager", manager, "pass the NDManager that is to own the weights");
        Checks.check(manager.isOpen(), "the NDManager passed for the weights is closed; pass an open one,"
                + " which will own them");
        StateDict sd = WeightFiles.read(weights);
        int classes = 1000;
        if (sd.contains("fc.weight") && sd.get("fc.weight").tensor().shape().length == 2) {
            classes = (int) sd.get("fc.weight").tensor().shape()[0];
        }
        ResNet18 net = create(Math.max(classes, 1));
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 224, 224));
        try {
            TorchvisionWeights.load(net, sd, weights.toString());
        } catch (RuntimeException e) {
            // the net never reached the user: its 45 MB must not stay in their manager
            for (Pair<String, Parameter> p : net.getParameters()) {
                if (p.getValue().isInitialized()) {
                    p.getValue().getArray().close();
                }
            }
            throw e;
        }
        return net;
    }

    static BatchNorm batchNorm() {
        // DJL's defaults are PyTorch's: epsilon 1e-5 and momentum 0.9 (= torch's 0.1)
        return BatchNorm.builder().optEpsilon(1e-5f).optMomentum(0.9f).build();
    }

    private static Block stage(int inChannels, int channels, int stride) {
        return new NamedSequence(
                new BasicBlock(inChannels, channels, stride), new BasicBlock(channels, channels, 1));
    }

    private static Linear head(int classes) {
        return Linear.builder().setUnits(classes).optBias(true).build();
    }

    private void setChildren() {
        // the protected list, not addChildBlock, which would prefix "01" to torchvision's names
        children = new BlockList();
        Block[] blocks = {conv1, bn1, layer1, layer2, layer3, layer4};
        for (int i = 0; i < blocks.length; i++) {
            children.add(LAYERS.get(i), blocks[i]);
        }
        children.add(HEAD, fc);
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        FreezingPass pass = new FreezingPass(ps, training, params);
        return new NDList(pass.run(fc, backbone(pass, inputs.singletonOrThrow())));
    }

    private NDArray backbone(FreezingPass pass, NDArray images) {
        NDArray x = pass.run(conv1, images);
        x = Activation.relu(pass.run(bn1, x));
        x = Pool.maxPool2d(x, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
        x = pass.run(layer1, x);
        x = pass.run(layer2, x);
        x = pass.run(layer3, x);
        x = pass.run(layer4, x);
        return Pool.globalAvgPool2d(x).reshape(x.getShape().get(0), FEATURES);
    }

    @Override
    public NDArray features(NDArray images) {
        try (GradMode ignored = GradMode.off()) {
            return backbone(new FreezingPass(new ParameterStore(images.getManager(), false), false, null), images);
        }
    }

    @Override
    public Block head() {
        return fc;
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        Shape[] s = shapes;
        conv1.initialize(manager, dataType, s);
        s = conv1.getOutputShapes(s);
        bn1.initialize(manager, dataType, s);
        s = new Shape[] {maxPoolShape(s[0])};
        for (Block layer : List.of(layer1, layer2, layer3, layer4)) {
            layer.initialize(manager, dataType, s);
            s = layer.getOutputShapes(s);
        }
        fc.initialize(manager, dataType, new Shape(s[0].get(0), FEATURES));
    }

    private static Shape maxPoolShape(Shape in) {
        return new Shape(
                in.get(0), in.get(1), (in.get(2) + 2 - 3) / 2 + 1, (in.get(3) + 2 - 3) / 2 + 1);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes())};
    }

    /**
     * Returns the parameters by torchvision name ({@code layer1.0.bn1.running_mean}), BatchNorm
     * running statistics included, in torchvision's order.
     *
     * @return the parameters
     */
    public Map<String, Parameter> torchvisionParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : getParameters()) {
            out.put(TorchvisionWeights.torchvisionName(p.getKey()), p.getValue());
        }
        return out;
    }

    @Override
    public void replaceHead(int classes) {
        requireWeights("replaceHead");
        requireHeadFree();
        checkClasses(classes);
        Linear next = head(classes);
        Parameter stem = conv1.getParameters().get("weight");
        if (stem.isInitialized()) {
            // as nn_linear() in R and PyTorch, the new head has weights at once, beside the
            // backbone's; made before the old one goes, so that a failure changes nothing
            initializeHead(next, stem.getArray().getManager(), FEATURES, classes);
        }
        headSize(classes);
        Linear old = fc;
        fc = next;
        setChildren();
        old.clear();
    }

    @Override
    public void freeze() {
        requireWeights("freeze");
        freezeUpTo(LAYERS.get(LAYERS.size() - 1));
    }

    @Override
    public void unfreeze() {
        requireWeights("unfreeze");
        for (Block b : children.values()) {
            Params.setTrainable(b, true);
        }
    }

    @Override
    public void freezeUpTo(String layer) {
        requireWeights("freezeUpTo");
        int last = LAYERS.indexOf(Checks.notNull("layer", layer, "pass a layer's name, such as \"layer3\""));
        Checks.check(
                last >= 0,
                "cannot freeze up to '%s': ResNet18's layers are %s (the head '%s' is never frozen"
                        + " this way; use freeze() for everything but the head)",
                layer,
                LAYERS,
                HEAD);
        for (int i = 0; i < LAYERS.size(); i++) {
            Params.setTrainable(children.get(LAYERS.get(i)), i > last);
        }
        Params.setTrainable(fc, true);
    }

    @Override
    public List<String> layers() {
        return LAYERS;
    }

    @Override
    public Predicate<String> layerParameters(String layer) {
        Checks.notNull("layer", layer, "pass a layer's name, such as \"layer3\"");
        Checks.check(
                LAYERS.contains(layer) || HEAD.equals(layer),
                "ResNet18 has no layer '%s'; its layers are %s and the head '%s'",
                layer,
                LAYERS,
                HEAD);
        String prefix = layer + "_";
        return name -> name.startsWith(prefix);
    }

    @Override
    public ParameterSummary summary() {
        requireWeights("summary");
        List<ParameterSummary.Row> rows = new ArrayList<>();
        for (Pair<String, Block> child : children) {
            rows.add(ParameterSummary.Row.of(
                    child.getKey(),
                    typeName(child.getValue()),
                    Params.gradientParameters(child.getValue())));
        }
        long stats = 0;
        for (Parameter p : getParameters().values()) {
            if (Params.isRunningStatistic(p)) {
                stats += Params.size(p);
            }
        }
        return new ParameterSummary("ResNet18", rows, stats);
    }

    private static String typeName(Block b) {
        if (b instanceof Conv2d) {
            return "Conv2d";
        } else if (b instanceof BatchNorm) {
            return "BatchNorm2d";
        } else if (b instanceof NamedSequence) {
            return "Sequential";
        }
        return b.getClass().getSimpleName();
    }

    /**
     * One forward pass that runs each frozen layer with {@code training = false}, and the frozen
     * layers before the first trainable one without recording gradients: nothing upstream of
     * them could receive one.
     */
    private static final class FreezingPass {
        private final ParameterStore ps;
        private final boolean training;
        private final PairList<String, Object> params;
        private boolean frozenSoFar = true;

        FreezingPass(ParameterStore ps, boolean training, PairList<String, Object> params) {
            this.ps = ps;
            this.training = training;
            this.params = params;
        }

        NDArray run(Block layer, NDArray x) {
            boolean frozen = Params.isFrozen(layer);
            frozenSoFar &= frozen;
            if (frozenSoFar) {
                try (GradMode ignored = GradMode.off()) {
                    return layer.forward(ps, new NDList(x), false, params).head();
                }
            }
            return layer.forward(ps, new NDList(x), training && !frozen, params).head();
        }
    }
}
