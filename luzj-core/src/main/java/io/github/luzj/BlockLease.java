package io.github.luzj;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.luzj.base.HeldWeights;
import io.github.luzj.base.LuzjException;

/**
 * Whether a block's weights belong to an open {@link FittedModel}. A fit or load trains the
 * block's own parameters and hands them to the fitted model it returns, which frees them on close;
 * a second fit or load of the same block, through any setup, would share and overwrite the first
 * one's weights while it is open and find them freed after, and DJL's error then names neither.
 * The mark is on the weights themselves: the manager of the model that holds them is named so,
 * and closing that model frees them, so no registry outlives a fitted model.
 */
final class BlockLease {

    private BlockLease() {}

    /**
     * Refuses to start a fit, load or trial on {@code block} while a fitted model holds its
     * weights, or after one freed them.
     *
     * @param block the set-up block
     * @param what what is about to start, for the message ("fit", "Luz.load")
     */
    static void checkFree(Block block, String what) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (!param.isInitialized()) {
                continue;
            }
            if (param.getArray().isReleased()) {
                throw new LuzjException(
                        what + ": this block has no weights any more: they were freed when the"
                                + " FittedModel, DJL model or NDManager that held them was closed;"
                                + " call Luz.setup with a new block for each fit or load (in a"
                                + " loop, build the block inside it)");
            }
            if (HeldWeights.held(param.getArray())) {
                throw new LuzjException(
                        what + ": this block is already trained in an open FittedModel (from an"
                                + " earlier fit or Luz.load, through this setup or another), and a"
                                + " second one would share and overwrite its weights; continue"
                                + " training with that FittedModel's fit, or close it and call"
                                + " Luz.setup with a new block for each run (in a loop, build the"
                                + " block inside it)");
            }
        }
    }

    /**
     * Marks the weights of {@code fitted}'s model as held by it.
     *
     * @param manager the manager of the fitted model's DJL model, which owns the weights
     * @param fitted the fitted model a fit or load returns
     * @return {@code fitted}
     */
    static FittedModel hold(NDManager manager, FittedModel fitted) {
        HeldWeights.mark(manager);
        return fitted;
    }
}
