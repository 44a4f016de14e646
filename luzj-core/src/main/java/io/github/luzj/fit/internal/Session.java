package io.github.luzj.fit.internal;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.ChannelsLastWeights;
import io.github.luzj.data.HostStaging;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.record.Records;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * What lives from one fit to the next of the same model: the DJL model, the live optimizer and
 * its state, the records, and the step and epoch counters. A fitted model that is fit again
 * continues from here.
 */
public final class Session implements AutoCloseable {

    /** What closing a session does with its DJL model. */
    private enum OnClose {
        /** Closes it: the session owns the model and its weights. */
        CLOSE,
        /** Closes it but keeps the block's parameters alive: they belong to the user's block. */
        RELEASE,
        /** Leaves it: the model belongs to another session (a trial's owner). */
        KEEP
    }

    private final Model model;
    private final Recipe recipe;
    private final OnClose onClose;
    private final Records records = new Records();
    /**
     * The managers the user's initialized weights belonged to before this session's model took
     * them (a pretrained net made in the user's manager): they go back there when it lets go.
     */
    private final Map<Parameter, NDManager> userOwners = new IdentityHashMap<>();
    private LuzOptimizer optimizer;
    private Set<String> optimizedIds = Set.of();
    /** The optimizer {@link #prepare} replaced, kept until the fit begins ({@link #closeRetired}). */
    private LuzOptimizer retired;
    private Set<String> retiredIds = Set.of();
    private ParameterStore parameterStore;
    private long globalStep;
    private int epochsDone;
    private String stopReason;
    /** Names this model's training run in its checkpoints; a resume adopts the checkpoint's. */
    private String runId = UUID.randomUUID().toString();

    /**
     * Creates a session that owns {@code model}: closing it closes the model.
     *
     * @param model the model holding the block
     * @param recipe the loss, optimizer, metrics, device and staging layout
     */
    public Session(Model model, Recipe recipe) {
        this(model, recipe, OnClose.CLOSE);
    }

    private Session(Model model, Recipe recipe, OnClose onClose) {
        this.model = model;
        this.recipe = recipe;
        this.onClose = onClose;
    }

    /**
     * Returns a session for a trial over this session's model (the LR finder's sweep): a fresh
     * optimizer of the same kind, no metrics, records and counters of its own, so that this
     * session's optimizer state, counters and records stay as they are. Closing it frees the
     * trial's optimizer, and with {@code releaseModel} this session's model too, keeping the
     * block's parameters alive (a model made for the trial around the user's block).
     *
     * @param releaseModel true to release this session's model when the trial closes
     * @return the trial's session (the caller closes it)
     */
    public Session trial(boolean releaseModel) {
        return new Session(
                model, recipe.withoutMetrics(), releaseModel ? OnClose.RELEASE : OnClose.KEEP);
    }

    /** A staging buffer for one loop over batches, channels-last as the recipe says. */
    HostStaging newStaging() {
        return new HostStaging(recipe.channelsLast());
    }

    /**
     * Initializes the block's parameters for {@code inputShape} unless they already are, and
     * makes sure this session's model owns them.
     *
     * @param inputShape the shape of one batch of features
     */
    void prepareForInference(Shape inputShape) {
        Block block = model.getBlock();
        if (block.isInitialized() && parameterStore == null) {
            // DJL closes a Model when it is garbage-collected, freeing the arrays it owns; a
            // block trained in an earlier session (or swept by the LR finder) must belong to
            // this session's model, or dropping the earlier one would free its weights
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().isInitialized()) {
                    NDManager was = p.getValue().getArray().getManager();
                    if (was != model.getNDManager()) {
                        userOwners.putIfAbsent(p.getValue(), was);
                    }
                    p.getValue().getArray().attach(model.getNDManager());
                }
            }
        }
        if (!block.isInitialized()) {
            try {
                if (recipe.channelsLast()) {
                    ChannelsLastWeights.initialize(
                            block, model.getNDManager(), DataType.FLOAT32, inputShape);
                } else {
                    block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape);
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new LuzjException(
                        "the model does not accept input of shape " + inputShape + ": "
                                + e.getMessage()
                                + "; check the data's shape against the first layer",
                        e);
            } catch (UnsupportedOperationException e) {
                // DJL's convolutions check the layout before anything else ("Expected layout:
                // NCHW, but got: ??"), which is what flat rows fed to a convnet hit
                throw new LuzjException(
                        "the model does not accept input of shape " + inputShape + ": "
                                + e.getMessage() + "; a convolution takes [batch, channels,"
                                + " height, width]: give the examples that shape (for flat"
                                + " 28x28 images, TensorDataset.reshape(1, 28, 28))",
                        e);
            } catch (EngineException | OutOfMemoryError e) {
                throw new LuzjException(
                        "the model's weights cannot be allocated for input of shape " + inputShape
                                + ": " + e.getMessage() + "; check the layers' sizes (a head of"
                                + " as many units as the data has classes)",
                        e);
            }
        }
        if (parameterStore == null) {
            parameterStore = new ParameterStore(model.getNDManager(), false);
        }
    }

    /**
     * Does what {@link #prepareForInference} does, then (re)builds the optimizer over the
     * parameters trainable now.
     *
     * @param inputShape the shape of one batch of features
     */
    void prepare(Shape inputShape) {
        prepareForInference(inputShape);
        Map<String, Parameter> trainable = trainableParameters();
        if (optimizer != null && !optimizedIds.equals(idsOf(trainable))) {
            // frozen or unfrozen since the last fit (fine-tuning): PyTorch users make a new
            // optimizer here too; the moments of the parameters it had are not carried over.
            // The old one is freed once the fit begins, so that a resume refused before that
            // can put it back
            closeRetired();
            retired = optimizer;
            retiredIds = optimizedIds;
            optimizer = null;
        }
        if (optimizer == null) {
            if (trainable.isEmpty() && model.getBlock().getParameters().isEmpty()) {
                throw new LuzjException(
                        "the model has no parameters at all (only layers without weights, such as"
                                + " activations or pooling), so there is nothing to train; add a"
                                + " layer with weights, such as Linear or Conv2d");
            }
            if (trainable.isEmpty()) {
                throw new LuzjException(
                        "the model has no trainable parameter (all are frozen); unfreeze at least"
                                + " one layer, for example the new head");
            }
            optimizer = recipe.optimizer().build(trainable);
            optimizedIds = idsOf(trainable);
        }
    }

    /** Frees the optimizer {@link #prepare} replaced: the fit that replaced it has begun. */
    void closeRetired() {
        if (retired != null) {
            retired.close();
            retired = null;
            retiredIds = Set.of();
        }
    }

    private static Set<String> idsOf(Map<String, Parameter> params) {
        Set<String> ids = new HashSet<>();
        params.values().forEach(p -> ids.add(p.getId()));
        return ids;
    }

    /** The parameters that take gradients, by path, in the block's order. */
    private Map<String, Parameter> trainableParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            if (p.getValue().requiresGradient()) {
                out.put(p.getKey(), p.getValue());
            }
        }
        return out;
    }

    /**
     * Returns the DJL model.
     *
     * @return the model
     */
    public Model model() {
        return model;
    }

    /**
     * Returns the loss.
     *
     * @return the loss
     */
    public Loss loss() {
        return recipe.loss();
    }

    /** The metrics beyond the loss. */
    List<Metric> metrics() {
        return recipe.metrics();
    }

    /**
     * Returns the training device.
     *
     * @return the device
     */
    public Device device() {
        return recipe.device();
    }

    /**
     * Returns the records of every fit of this model.
     *
     * @return the records
     */
    public Records records() {
        return records;
    }

    /**
     * Returns the live optimizer, null before the first fit.
     *
     * @return the optimizer
     */
    public LuzOptimizer optimizer() {
        return optimizer;
    }

    /**
     * Returns what the session trains with.
     *
     * @return the recipe
     */
    public Recipe recipe() {
        return recipe;
    }

    ParameterStore parameterStore() {
        return parameterStore;
    }

    /**
     * Returns the number of optimizer steps taken in all fits.
     *
     * @return the global step
     */
    public long globalStep() {
        return globalStep;
    }

    String runId() {
        return runId;
    }

    void adoptRunId(String id) {
        this.runId = id;
    }

    /**
     * Counts the epochs and steps of the records a saved model was loaded with as done, so that
     * fitting the loaded model numbers its epochs and steps on from them, as fitting the model
     * before the save would have.
     */
    public void countLoadedRecords() {
        epochsDone = Math.max(epochsDone, records.epochs());
        for (Records.StepEntry s : records.steps()) {
            globalStep = Math.max(globalStep, s.step());
        }
    }

    void restoreCounters(int epochsDone, long globalStep) {
        this.epochsDone = epochsDone;
        this.globalStep = globalStep;
    }

    /**
     * Takes what a fit changes in this session as it is now: the block's parameters (batch-norm
     * statistics included) on the device, the optimizer's state, the records and the counters.
     * Call it after {@link #prepare}.
     *
     * @return the saved state; {@link Saved#restore()} puts it back, closing it frees it
     */
    Saved save() {
        return new Saved();
    }

    /** A session's state at one moment (see {@link #save()}). */
    final class Saved implements AutoCloseable {
        private final ParameterSnapshot parameters;
        /** The optimizer before this fit's {@link #prepare}, which may have replaced it. */
        private final LuzOptimizer savedOptimizer = retired != null ? retired : optimizer;
        private final Set<String> savedIds = retired != null ? retiredIds : optimizedIds;
        private final LuzOptimizer.Memento optimizerState;
        private final Records savedRecords = new Records();
        private final long savedGlobalStep = globalStep;
        private final int savedEpochsDone = epochsDone;
        private final String savedStopReason = stopReason;
        private final String savedRunId = runId;

        private Saved() {
            savedRecords.replaceWith(records);
            optimizerState = savedOptimizer.memento();
            parameters = ParameterSnapshot.take(model.getBlock(), model.getNDManager(), "luzj-saved-session");
        }

        /** Puts the session back as it was when saved. */
        void restore() {
            // the weights first: restoring them zeroes the gradients, and the optimizer's state may
            // put back a gradient sum that was waiting for its step
            parameters.restore();
            if (optimizer != savedOptimizer) {
                optimizer.close();
                optimizer = savedOptimizer;
                optimizedIds = savedIds;
                retired = null;
                retiredIds = Set.of();
            }
            optimizer.restore(optimizerState);
            records.replaceWith(savedRecords);
            globalStep = savedGlobalStep;
            epochsDone = savedEpochsDone;
            stopReason = savedStopReason;
            runId = savedRunId;
        }

        /** Frees the parameters' copies. */
        @Override
        public void close() {
            parameters.close();
        }
    }

    void setStopReason(String reason) {
        this.stopReason = reason;
    }

    /**
     * Returns why the last fit stopped before its last epoch.
     *
     * @return the reason, or null when it ran every epoch
     */
    public String stopReason() {
        return stopReason;
    }

    void countStep() {
        globalStep++;
    }

    /** The number of epochs completed in all fits. */
    int epochsDone() {
        return epochsDone;
    }

    void countEpoch() {
        epochsDone++;
    }

    /**
     * Puts the parameters at the point to evaluate and save: schedule-free AdamW's average x
     * ({@link LuzOptimizer#eval()}); nothing changes for other optimizers or before a fit. A
     * fit ends there anyway; this guards a fit that ended with an exception.
     */
    public void toEvaluationPoint() {
        if (optimizer != null) {
            optimizer.eval();
        }
    }

    /** Frees the optimizer state and, as the session was made, the model. */
    @Override
    public void close() {
        closeRetired();
        if (optimizer != null) {
            optimizer.close();
        }
        if (onClose == OnClose.RELEASE) {
            releaseParameters();
        }
        if (onClose != OnClose.KEEP) {
            model.close();
        }
    }

    /**
     * Frees what a failed first fit made, and nothing the user had: the optimizer state, and the
     * model when luzj made it around the user's block, whose weights (pretrained, perhaps) stay
     * alive. A model the user passed stays open.
     *
     * @param modelMadeHere whether luzj made the DJL model
     */
    public void closeAfterFailure(boolean modelMadeHere) {
        closeRetired();
        if (optimizer != null) {
            optimizer.close();
        }
        if (modelMadeHere) {
            releaseParameters();
            model.close();
        }
    }

    /**
     * Detaches the block's parameters from this model's manager, where the session initialized
     * or attached them, so that they outlive it: a next fit would find them freed otherwise (DJL
     * also closes an unreachable model when it is garbage collected).
     */
    private void releaseParameters() {
        NDManager owner = model.getNDManager();
        for (Pair<String, Parameter> p : model.getBlock().getParameters()) {
            Parameter param = p.getValue();
            if (param.isInitialized() && param.getArray().getManager() == owner) {
                NDManager was = userOwners.get(param);
                if (was != null && was.isOpen()) {
                    // back where the user made them, so that closing that manager frees them
                    param.getArray().attach(was);
                } else {
                    param.getArray().detach();
                }
            }
        }
        userOwners.clear();
    }
}
