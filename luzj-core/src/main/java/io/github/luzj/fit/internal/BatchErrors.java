package io.github.luzj.fit.internal;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import java.util.function.UnaryOperator;

/**
 * The forward pass and the loss as the {@link BatchRunner}'s steps run them: a shape mismatch the
 * engine reports becomes one {@link LuzjException} that names the shapes and the fix.
 */
public final class BatchErrors {

    private BatchErrors() {}

    /** Runs {@code block} on {@code x}. */
    static NDList forward(Block block, ParameterStore ps, NDList x, boolean training) {
        return forward(in -> block.forward(ps, in, training), x);
    }

    /** Runs a forward pass of a block's made by luzj (batch norm folded) on {@code x}. */
    static NDList forward(UnaryOperator<NDList> pass, NDList x) {
        try {
            return pass.apply(x);
        } catch (IllegalArgumentException | IllegalStateException | EngineException e) {
            throw forwardFailed(x.head(), e);
        }
    }

    /**
     * Runs a forward pass that is not a block's (a fine-tunable network's frozen backbone) on
     * {@code x}.
     *
     * @param pass the forward pass
     * @param x its input
     * @return its output
     */
    public static NDArray forward(UnaryOperator<NDArray> pass, NDArray x) {
        try {
            return pass.apply(x);
        } catch (IllegalArgumentException | IllegalStateException | EngineException e) {
            throw forwardFailed(x, e);
        }
    }

    private static LuzjException forwardFailed(NDArray x, RuntimeException e) {
        LuzjException freed = weightsFreed(e);
        if (freed != null) {
            return freed;
        }
        return new LuzjException(
                "the model's forward pass failed on input of shape "
                        + x.getShape()
                        + ": "
                        + e.getMessage()
                        + "; check that the data's shape fits the model's first layer",
                e);
    }

    /** Evaluates {@code loss} on labels {@code y} and predictions {@code pred}. */
    static NDArray loss(Loss loss, NDList y, NDList pred) {
        NDArray value;
        try {
            value = loss.evaluate(y, pred);
        } catch (LuzjException e) {
            throw e;
        } catch (IndexOutOfBoundsException e) {
            // DJL's losses take one prediction (singletonOrThrow) or an index into the outputs
            throw new LuzjException(
                    "the loss " + loss.getName() + " cannot read the model's output: the block returns "
                            + pred.size() + " array" + (pred.size() == 1 ? "" : "s") + " and "
                            + y.size() + " label array" + (y.size() == 1 ? "" : "s") + " come with"
                            + " the batch (" + e.getMessage() + "); give the loss the outputs it"
                            + " takes (most take one), or end the block in one output",
                    e);
        } catch (RuntimeException e) {
            throw new LuzjException(
                    "the loss "
                            + loss.getName()
                            + " failed on predictions of shape "
                            + (pred.isEmpty() ? "(none)" : pred.head().getShape())
                            + " and labels of shape "
                            + (y.isEmpty() ? "(none)" : y.head().getShape())
                            + ": "
                            + (e instanceof IllegalArgumentException || e instanceof IllegalStateException
                                    || e instanceof EngineException ? e.getMessage() : e.toString())
                            + "; check that the labels fit the model's output (class indices in"
                            + " [0, classes) for cross-entropy)",
                    e);
        }
        if (value == null) {
            throw new LuzjException("the loss " + loss.getName() + " returned null; a loss returns the"
                    + " batch's loss as an NDArray");
        }
        return value;
    }

    /** Refuses unlabeled data where the loss is needed. */
    static void requireLabels(DataLoader data, String what, String use) {
        if (data != null && !data.labeled()) {
            throw new LuzjException(
                    what + "'s examples have no labels, and " + use + " needs them to compute the"
                            + " loss; pass labeled data (TensorDataset.of(features, labels)), or"
                            + " call predict for outputs on unlabeled data");
        }
    }

    /**
     * Names DJL's "Native resource has been released already" for what it is here: an array of
     * the model's is gone with what held it.
     *
     * @param e what DJL threw
     * @return the exception to throw instead, or null when {@code e} is something else
     */
    static LuzjException weightsFreed(RuntimeException e) {
        if (e instanceof IllegalStateException && String.valueOf(e.getMessage()).contains("released")) {
            return new LuzjException(
                    "the model's weights are freed (" + e.getMessage() + "): the FittedModel, DJL"
                            + " model, NDManager or TorchScript backbone that held them was"
                            + " closed; close those only when done with the model, or set it up"
                            + " again",
                    e);
        }
        return null;
    }
}
