package io.github.luzj.base;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;

/**
 * The mark that a fitted model holds a block's weights: the name of the manager of the DJL model
 * that owns them. It is on the weights themselves, so no registry outlives a fitted model, and
 * any floor can read it: the entry points to refuse a second fit of the block, the networks to
 * refuse changing a head that an open fitted model is training.
 */
public final class HeldWeights {

    private static final String NAME = "luzj: weights of a FittedModel";

    private HeldWeights() {}

    /**
     * Marks the weights {@code manager} owns as held by a fitted model.
     *
     * @param manager the manager of the fitted model's DJL model
     */
    public static void mark(NDManager manager) {
        manager.setName(NAME);
    }

    /**
     * Tells whether an open fitted model holds {@code weights}.
     *
     * @param weights a parameter's array
     * @return true while the fitted model that holds it is open
     */
    public static boolean held(NDArray weights) {
        NDManager owner = weights.getManager();
        return owner.isOpen() && NAME.equals(owner.getName());
    }
}
