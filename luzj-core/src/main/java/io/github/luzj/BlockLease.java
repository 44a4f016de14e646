package io.github.luzj;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.luzj.base.LuzjException;

/**
 * Which {@link FittedModel} holds a set-up block's weights, shared by a {@link SetupModel} and
 * the copies its options make. A fit or load trains the block's own parameters and hands them to
 * the fitted model it returns, which frees them on close; a second fit or load of the same block
 * would share and overwrite the first one's weights while it is open, and find them freed after,
 * and DJL's error then names neither.
 */
final class BlockLease {

    private FittedModel holder;

    /**
     * Refuses to start a fit, load or trial on {@code block} while an earlier fitted model holds
     * it or after it freed it.
     *
     * @param block the set-up block
     * @param what what is about to start, for the message ("fit", "Luz.load")
     */
    synchronized void checkFree(Block block, String what) {
        if (holder != null && holder.isOpen()) {
            throw new LuzjException(
                    what + ": this SetupModel's block is already trained in an open FittedModel"
                            + " (from an earlier fit or Luz.load), and a second one would share"
                            + " and overwrite its weights; continue training with that"
                            + " FittedModel's fit, or close it and call Luz.setup with a new"
                            + " block for each run (in a loop, build the block inside it)");
        }
        if (holder != null || anyFreed(block)) {
            throw new LuzjException(
                    what + ": this SetupModel's block has no weights any more: they were freed"
                            + " when the FittedModel (or the DJL model) that held them was"
                            + " closed; call Luz.setup with a new block for each fit or load"
                            + " (in a loop, build the block inside it)");
        }
    }

    /**
     * Records that {@code fitted} now holds the block.
     *
     * @param fitted the fitted model a fit or load returns
     * @return {@code fitted}
     */
    synchronized FittedModel hold(FittedModel fitted) {
        holder = fitted;
        return fitted;
    }

    private static boolean anyFreed(Block block) {
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (param.isInitialized() && param.getArray().isReleased()) {
                return true;
            }
        }
        return false;
    }
}
