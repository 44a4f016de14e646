package io.github.luzj.vision.models;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.BlockList;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.IValueUtils;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import io.github.luzj.base.Checks;
import io.github.luzj.base.GradMode;
import io.github.luzj.base.LuzjException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A TorchScript feature extractor (such as DJL's {@code resnet18_embedding}, N×512×1×1) with a
 * trainable head: {@code squeeze} and {@code fc = Linear(features -> classes)}. Made by
 * {@link io.github.luzj.transfer.Transfer#torchScript} or
 * {@link io.github.luzj.transfer.Transfer#zooResNet18Embedding}, with the backbone frozen.
 *
 * <p>The TorchScript module is driven directly rather than through {@code PtSymbolBlock.forward},
 * because with {@code training = false} that runs the module under PyTorch's inference mode, whose
 * outputs autograd refuses to save for the head's backward pass. Here the module's BatchNorm mode
 * and the grad mode are set explicitly:
 *
 * <ul>
 *   <li>backbone frozen: eval mode (running statistics used, not updated), no autograd graph;
 *   <li>partly frozen ({@link #freezeUpTo}): eval mode everywhere, since a TorchScript module's
 *       layers cannot be switched one by one, gradients for the trainable layers;
 *   <li>trainable: train mode when fitting, eval mode otherwise.
 * </ul>
 *
 * <p>Layers are the module's top-level children as its parameter names show them. DJL's
 * {@code resnet18_embedding} is {@code nn.Sequential(*list(resnet18.children())[:-1])}, whose
 * children are numbered {@code 0, 1, 4, ..., 7}; for that layout the layers go by torchvision's
 * names {@code conv1, bn1, layer1, ..., layer4}. Closing this model frees the module.
 */
public final class TorchScriptTransfer extends TunableBlock implements AutoCloseable {

    private static final byte VERSION = 1;
    private static final String BACKBONE = "backbone";
    private static final String GRAPH_OPTIMIZER = "ai.djl.pytorch.graph_optimizer";
    private static final List<String> EMBEDDING_CHILDREN = List.of("0", "1", "4", "5", "6", "7");
    private static final List<String> TORCHVISION_LAYERS =
            List.of("conv1", "bn1", "layer1", "layer2", "layer3", "layer4");

    private final Model owner;
    private final PtSymbolBlock backbone;
    private final int features;
    private final List<String> layers;
    private final Map<String, String> moduleNames;
    private Linear fc;

    /**
     * Wraps a loaded TorchScript model (the backbone) and adds a head; the backbone is frozen.
     * Closing this model closes {@code owner}.
     *
     * @param owner a model whose block is a TorchScript module
     * @param classes the head's output size
     */
    public TorchScriptTransfer(Model owner, int classes) {
        super(VERSION);
        if (!(owner.getBlock() instanceof PtSymbolBlock module)) {
            throw new LuzjException(
                    "model " + owner.getName() + " is not a TorchScript module (its block is a "
                            + owner.getBlock().getClass().getSimpleName()
                            + "); load a TorchScript .pt file with the PyTorch engine");
        }
        this.owner = owner;
        this.backbone = module;
        List<String> children = topLevelChildren(module);
        this.moduleNames = new LinkedHashMap<>();
        boolean embeddingLayout = children.equals(EMBEDDING_CHILDREN);
        for (int i = 0; i < children.size(); i++) {
            moduleNames.put(
                    embeddingLayout ? TORCHVISION_LAYERS.get(i) : children.get(i), children.get(i));
        }
        this.layers = List.copyOf(moduleNames.keySet());
        this.features = probeFeatures();
        replaceHead(classes);
        freeze();
    }

    private static List<String> topLevelChildren(PtSymbolBlock module) {
        List<String> out = new ArrayList<>();
        for (String name : module.getParameters().keys()) {
            String top = name.contains(".") ? name.substring(0, name.indexOf('.')) : name;
            if (!out.contains(top)) {
                out.add(top);
            }
        }
        return List.copyOf(out);
    }

    /** Runs one image through the module to learn the embedding size, as nn_linear needs it. */
    private int probeFeatures() {
        try (NDManager probe = owner.getNDManager().newSubManager()) {
            NDArray x = probe.zeros(new Shape(1, 3, 224, 224));
            Shape s = backboneForward(new NDList(x), false).getShape();
            return (int) s.get(1);
        }
    }

    @Override
    protected NDList forwardInternal(
            ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> params) {
        NDArray features = backboneForward(inputs, training);
        return fc.forward(ps, new NDList(features), training, params);
    }

    /** The backbone's output, squeezed to N×features, in the modes the freezing asks for. */
    private NDArray backboneForward(NDList inputs, boolean training) {
        boolean allFrozen = Params.isFrozen(backbone);
        boolean anyFrozen = Params.gradientParameters(backbone).stream()
                .anyMatch(p -> !p.requiresGradient());
        // set on every call: PtSymbolBlock's own forward may have switched the module meanwhile
        if (training && !anyFrozen) {
            JniUtils.enableTrainingMode(backbone);
        } else {
            JniUtils.enableInferenceMode(backbone);
        }
        String optimizer = System.getProperty(GRAPH_OPTIMIZER);
        if (optimizer != null) {
            // honoured as PtSymbolBlock.forward honours it; the setting is per thread
            JniUtils.setGraphExecutorOptimize(Boolean.parseBoolean(optimizer));
        }
        NDList out;
        if (allFrozen) {
            try (GradMode ignored = GradMode.off()) {
                out = IValueUtils.forward(backbone, inputs, true); // true: no inference-mode guard
            }
        } else {
            out = IValueUtils.forward(backbone, inputs, true);
        }
        return squeeze(out.singletonOrThrow());
    }

    private static NDArray squeeze(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() == 2) {
            return x;
        }
        if (s.dimension() == 4 && s.get(2) == 1 && s.get(3) == 1) {
            return x.squeeze(new int[] {2, 3});
        }
        throw new LuzjException(
                "the TorchScript backbone returned shape " + s + "; a transfer head needs N x C or"
                        + " N x C x 1 x 1 features (export the model with its global pooling)");
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... shapes) {
        fc.initialize(manager, dataType, new Shape(shapes[0].get(0), features));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), classes())};
    }

    /**
     * Computes the backbone's features in inference mode (BatchNorm on running statistics, no
     * autograd graph), for feature extraction.
     *
     * @param images the images, N×3×H×W
     * @return the features, N×{@link #features()}, in the images' manager
     */
    @Override
    public NDArray features(NDArray images) {
        try (GradMode ignored = GradMode.off()) {
            return backboneForward(new NDList(images), false);
        }
    }

    @Override
    public Block head() {
        return fc;
    }

    /**
     * Returns the TorchScript module.
     *
     * @return the backbone
     */
    public PtSymbolBlock backbone() {
        return backbone;
    }

    /**
     * Returns the size of the backbone's output.
     *
     * @return the head's input size, 512 for ResNet-18
     */
    public int features() {
        return features;
    }

    @Override
    public void replaceHead(int classes) {
        requireWeights("replaceHead");
        requireHeadFree();
        checkClasses(classes);
        Linear next = Linear.builder().setUnits(classes).build();
        initializeHead(next, owner.getNDManager(), features, classes); // before anything changes
        headSize(classes);
        Linear old = fc;
        fc = next;
        // the protected list, not addChildBlock, which would prefix "01" to the names
        children = new BlockList();
        children.add(BACKBONE, backbone);
        children.add(HEAD, fc);
        if (old != null) {
            old.clear();
        }
    }

    @Override
    public void freeze() {
        requireWeights("freeze");
        Params.setTrainable(backbone, false);
        Params.setTrainable(fc, true);
    }

    @Override
    public void unfreeze() {
        requireWeights("unfreeze");
        Params.setTrainable(backbone, true);
        Params.setTrainable(fc, true);
    }

    @Override
    public void freezeUpTo(String layer) {
        requireWeights("freezeUpTo");
        int last = layers.indexOf(Checks.notNull("layer", layer, "pass a layer's name"));
        Checks.check(
                last >= 0,
                "cannot freeze up to '%s': the TorchScript backbone's layers are %s",
                layer,
                layers);
        for (Pair<String, Parameter> p : backbone.getParameters()) {
            p.getValue().freeze(layers.indexOf(layerOf(p.getKey())) <= last);
        }
        Params.setTrainable(fc, true);
    }

    /** The layer (in {@link #layers()}'s naming) a module parameter belongs to. */
    private String layerOf(String parameterName) {
        String child =
                parameterName.contains(".")
                        ? parameterName.substring(0, parameterName.indexOf('.'))
                        : parameterName;
        for (Map.Entry<String, String> e : moduleNames.entrySet()) {
            if (e.getValue().equals(child)) {
                return e.getKey();
            }
        }
        throw new IllegalStateException("parameter " + parameterName + " is in no layer");
    }

    @Override
    public List<String> layers() {
        return layers;
    }

    @Override
    public Predicate<String> layerParameters(String layer) {
        Checks.notNull("layer", layer, "pass a layer's name, such as \"head\"");
        if (HEAD.equals(layer)) {
            return name -> name.startsWith(HEAD + "_");
        }
        Checks.check(
                layers.contains(layer),
                "the TorchScript backbone has no layer '%s'; its layers are %s and the head '%s'",
                layer,
                layers,
                HEAD);
        String prefix = BACKBONE + "_" + moduleNames.get(layer);
        return name -> name.startsWith(prefix + ".") || name.equals(prefix);
    }

    @Override
    public ParameterSummary summary() {
        requireWeights("summary");
        Map<String, List<Parameter>> byLayer = new LinkedHashMap<>();
        for (String layer : layers) {
            byLayer.put(layer, new ArrayList<>());
        }
        for (Pair<String, Parameter> p : backbone.getParameters()) {
            byLayer.get(layerOf(p.getKey())).add(p.getValue());
        }
        List<ParameterSummary.Row> rows = new ArrayList<>();
        byLayer.forEach((k, v) -> rows.add(ParameterSummary.Row.of(k, "TorchScript", v)));
        rows.add(ParameterSummary.Row.of(HEAD, "Linear", Params.gradientParameters(fc)));
        // the module's BatchNorm statistics are TorchScript buffers, which DJL does not expose
        return new ParameterSummary("TorchScript " + owner.getName(), rows, 0);
    }

    /** Frees the TorchScript module and the head. */
    @Override
    public void close() {
        owner.close();
    }
}
