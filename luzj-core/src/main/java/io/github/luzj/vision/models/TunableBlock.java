package io.github.luzj.vision.models;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.luzj.base.Checks;
import io.github.luzj.base.HeldWeights;
import io.github.luzj.base.LuzjException;
import java.util.Locale;
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

    /**
     * Initializes a new head of {@code classes} outputs over {@code features} inputs, before it
     * takes the old one's place: a head too large to allocate is one LuzjException and the block
     * is left as it was.
     */
    static void initializeHead(Block head, NDManager manager, int features, int classes) {
        try {
            head.initialize(manager, DataType.FLOAT32, new Shape(1, features));
        } catch (EngineException | OutOfMemoryError e) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "a head of %,d classes needs %,d weights, more than can be allocated here (%s);"
                            + " pass the number of classes the data has",
                    classes, (long) classes * (features + 1), e.getMessage()), e);
        }
    }

    /**
     * Refuses to work on weights that are freed: DJL would say only "Native resource has been
     * released already" or "NDManager has been closed already".
     *
     * @param what the call, for the message
     */
    final void requireWeights(String what) {
        for (Pair<String, Parameter> p : getParameters()) {
            if (p.getValue().isInitialized() && p.getValue().getArray().isReleased()) {
                throw new LuzjException(what + ": the net's weights are freed ("
                        + p.getKey() + "): the FittedModel or TorchScriptTransfer that held them, or"
                        + " the NDManager they were made in, was closed; make a new net"
                        + " (Transfer.resnet18 or Transfer.torchScript)");
            }
        }
    }

    /** Refuses to replace a head that an open fitted model is training: it would free it. */
    final void requireHeadFree() {
        for (Pair<String, Parameter> p : getParameters()) {
            if (p.getValue().isInitialized() && HeldWeights.held(p.getValue().getArray())) {
                throw new LuzjException("replaceHead: this net is trained in an open FittedModel,"
                        + " whose head it would free (its predictions would come from a new,"
                        + " untrained one); close that FittedModel first (save it to keep it), or"
                        + " replace the head before the fit");
            }
        }
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
