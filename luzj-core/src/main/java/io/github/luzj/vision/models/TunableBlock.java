package io.github.luzj.vision.models;

import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import io.github.luzj.base.Checks;
import java.util.function.Predicate;

/**
 * What the fine-tunable blocks ({@link ResNet18}, {@link TorchScriptTransfer}) share: freezing that
 * leaves BatchNorm running statistics frozen, and the head's parameters.
 */
abstract class TunableBlock extends AbstractBlock implements FineTunable {

    private int classes;

    TunableBlock(byte version) {
        super(version);
    }

    @Override
    public final int classes() {
        return classes;
    }

    /**
     * Records the head's output size.
     *
     * @param classes the new size, checked
     */
    final void headSize(int classes) {
        checkClasses(classes);
        this.classes = classes;
    }

    static void checkClasses(int classes) {
        Checks.check(
                classes >= 1, "classes must be >= 1, got %d; pass the number of classes", classes);
    }

    /**
     * Freezes or unfreezes parameters as DJL's {@link Block#freezeParameters(boolean)} does, except
     * that running statistics stay frozen: they are updated by the forward pass, never by
     * gradients.
     *
     * @param freeze true to freeze
     */
    @Override
    public final void freezeParameters(boolean freeze) {
        freezeParameters(freeze, p -> true);
    }

    /**
     * Freezes or unfreezes the parameters that pass {@code pred}; running statistics stay frozen.
     *
     * @param freeze true to freeze
     * @param pred selects the parameters
     */
    @Override
    public final void freezeParameters(boolean freeze, Predicate<Parameter> pred) {
        Params.freeze(this, freeze, pred);
    }

    @Override
    public Predicate<String> headParameters() {
        return layerParameters(HEAD);
    }
}
