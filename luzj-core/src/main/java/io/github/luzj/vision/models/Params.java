package io.github.luzj.vision.models;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Parameter bookkeeping shared by the transfer-learning models: which parameters take gradients,
 * and freezing that never makes BatchNorm's running statistics trainable.
 */
final class Params {

    private Params() {}

    /**
     * Tells whether a parameter is a BatchNorm running statistic: state updated by the forward
     * pass in training mode, never by gradients (PyTorch's buffers).
     *
     * @param p the parameter
     * @return true for running means and variances
     */
    static boolean isRunningStatistic(Parameter p) {
        return p.getType() == Parameter.Type.RUNNING_MEAN
                || p.getType() == Parameter.Type.RUNNING_VAR;
    }

    /**
     * Returns a block's gradient parameters (PyTorch's {@code parameters()}): all but running
     * statistics.
     *
     * @param block the block
     * @return the parameters, in the block's order
     */
    static List<Parameter> gradientParameters(Block block) {
        List<Parameter> out = new ArrayList<>();
        for (Parameter p : block.getParameters().values()) {
            if (!isRunningStatistic(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Makes a block's gradient parameters trainable or frozen; running statistics stay frozen.
     *
     * @param block the block
     * @param trainable true to unfreeze
     */
    static void setTrainable(Block block, boolean trainable) {
        for (Parameter p : gradientParameters(block)) {
            p.freeze(!trainable);
        }
    }

    /**
     * Freezes or unfreezes the block's gradient parameters that pass {@code pred}: unlike DJL's
     * {@link Block#freezeParameters(boolean, Predicate)}, never a running statistic, which only
     * the forward pass may update.
     *
     * @param block the block
     * @param freeze true to freeze
     * @param pred selects the parameters
     */
    static void freeze(Block block, boolean freeze, Predicate<Parameter> pred) {
        for (Parameter p : gradientParameters(block)) {
            if (pred.test(p)) {
                p.freeze(freeze);
            }
        }
    }

    /**
     * Tells whether none of a block's gradient parameters is trainable.
     *
     * @param block the block
     * @return true when frozen (also for a block without parameters)
     */
    static boolean isFrozen(Block block) {
        for (Parameter p : gradientParameters(block)) {
            if (p.requiresGradient()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Returns the number of values of a parameter, 0 when its shape is not known yet.
     *
     * @param p the parameter
     * @return the element count
     */
    static long size(Parameter p) {
        if (p.isInitialized()) {
            return p.getArray().size();
        }
        return p.getShape() == null ? 0 : p.getShape().size();
    }
}
