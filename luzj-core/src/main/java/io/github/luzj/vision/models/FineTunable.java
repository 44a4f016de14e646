package io.github.luzj.vision.models;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Block;
import java.util.List;
import java.util.function.Predicate;

/**
 * A pretrained network prepared for transfer learning: a backbone of named layers and a
 * replaceable classification head ({@code fc}), with luz-style freezing.
 *
 * <pre>{@code
 * net.replaceHead(10);              // resnet$fc <- nn_linear(resnet$fc$in_features, 10)
 * net.freeze();                     // train the head only
 * OptimizerSpec opt = Optimizers.adam().group("backbone", net.backboneParameters(), 0.1);
 * System.out.println(net.summary());
 * }</pre>
 *
 * <p>A frozen layer is also run in inference mode: its BatchNorm layers normalize with their
 * running statistics and do not update them, and no autograd graph is recorded for the frozen
 * layers that come before every trainable one. BatchNorm running statistics are never trainable:
 * they are not gradient parameters, whatever is frozen or unfrozen.
 *
 * <p>Freeze before {@code Luz.setup(...).fit(...)}: luzj's optimizer takes the parameters that
 * are trainable when the first fit starts.
 */
public interface FineTunable {

    /** The head's name, as in torchvision. */
    String HEAD = "fc";

    /**
     * Replaces the classification head by a new, trainable {@code Linear(features -> classes)}.
     *
     * @param classes the number of classes, {@code >= 1}
     */
    void replaceHead(int classes);

    /**
     * Returns the number of classes of the current head.
     *
     * @return the head's output size
     */
    int classes();

    /** Freezes every layer but the head, and makes the head trainable. */
    void freeze();

    /** Makes every layer trainable (running statistics excepted). */
    void unfreeze();

    /**
     * Freezes {@code layer} and every layer before it; the layers after it and the head are made
     * trainable.
     *
     * @param layer one of {@link #layers()}, such as {@code "layer3"}
     */
    void freezeUpTo(String layer);

    /**
     * Returns the backbone's top-level layers in forward order, head excluded.
     *
     * @return names such as {@code conv1, bn1, layer1, ..., layer4}
     */
    List<String> layers();

    /**
     * Accepts the parameter names (DJL parameter paths, as luzj's optimizer groups see them) of
     * the head.
     *
     * @return the predicate
     */
    Predicate<String> headParameters();

    /**
     * Accepts the parameter names of the backbone: everything but the head.
     *
     * @return the predicate
     */
    default Predicate<String> backboneParameters() {
        return headParameters().negate();
    }

    /**
     * Accepts the parameter names of one top-level layer, for layer-wise learning rates.
     *
     * @param layer one of {@link #layers()} or {@link #HEAD}
     * @return the predicate
     */
    Predicate<String> layerParameters(String layer);

    /**
     * Counts the parameters, total and trainable, per top-level layer (R's print of a module).
     *
     * @return the summary
     */
    ParameterSummary summary();

    /**
     * Runs the backbone alone in inference mode (running statistics, no autograd graph): what the
     * head sees, for caching.
     *
     * @param images the images, N×3×H×W
     * @return the features, N×512 for ResNet-18, in the images' manager
     */
    NDArray features(NDArray images);

    /**
     * Returns the head, a block of its own: fitting it on cached features trains this model's
     * head.
     *
     * @return the head
     */
    Block head();
}
