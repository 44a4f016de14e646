package io.github.luzj.fit;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.HostStaging;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.record.Records;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What lives from one fit to the next of the same model: the DJL model, the live optimizer and
 * its state, the records, and the step and epoch counters. A fitted model that is fit again
 * continues from here.
 */
public final class Session implements AutoCloseable {

    private final Model model;
    private final Loss loss;
    private final OptimizerSpec optimizerSpec;
    private final List<Metric> metrics;
    private final Device device;
    private final boolean channelsLast;
    private final Records records = new Records();
    private LuzOptimizer optimizer;
    private java.util.Set<String> optimizedIds = java.util.Set.of();
    private ParameterStore parameterStore;
    private long globalStep;
    private int epochsDone;
    /** Names this model's training run in its checkpoints; a resume adopts the checkpoint's. */
    private String runId = java.util.UUID.randomUUID().toString();

    /**
     * Creates a session.
     *
     * @param model the model holding the block
     * @param loss the loss
     * @param optimizerSpec the optimizer's description
     * @param metrics the metrics beyond the loss
     * @param device the training device
     */
    public Session(
            Model model,
            Loss loss,
            OptimizerSpec optimizerSpec,
            List<Metric> metrics,
            Device device) {
        this(model, loss, optimizerSpec, metrics, device, true);
    }

    /**
     * Creates a session.
     *
     * @param model the model holding the block
     * @param loss the loss
     * @param optimizerSpec the optimizer's description
     * @param metrics the metrics beyond the loss
     * @param device the training device
     * @param channelsLast true to stage image batches channels-last ({@link HostStaging})
     */
    public Session(
            Model model,
            Loss loss,
            OptimizerSpec optimizerSpec,
            List<Metric> metrics,
            Device device,
            boolean channelsLast) {
        this.channelsLast = channelsLast;
        this.model = model;
        this.loss = loss;
        this.optimizerSpec = optimizerSpec;
        this.metrics = List.copyOf(metrics);
        this.device = device;
    }

    /**
     * Returns a staging buffer for one loop over batches, channels-last as this session says.
     *
     * @return a new staging buffer
     */
    public HostStaging newStaging() {
        return new HostStaging(channelsLast);
    }

    /**
     * Tells whether this session stages image batches channels-last.
     *
     * @return true for channels-last
     */
    public boolean channelsLast() {
        return channelsLast;
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
                    p.getValue().getArray().attach(model.getNDManager());
                }
            }
        }
        if (!block.isInitialized()) {
            try {
                block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape);
            } catch (IllegalArgumentException | IllegalStateException e) {
                throw new LuzjException(
                        "the model does not accept input of shape " + inputShape + ": "
                                + e.getMessage()
                                + "; check the data's shape against the first layer",
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
            // optimizer here too; the moments of the parameters it had are not carried over
            optimizer.close();
            optimizer = null;
        }
        if (optimizer == null) {
            if (trainable.isEmpty()) {
                throw new LuzjException(
                        "the model has no trainable parameter (all are frozen); unfreeze at least"
                                + " one layer, for example the new head");
            }
            optimizer = optimizerSpec.build(trainable);
            optimizedIds = idsOf(trainable);
        }
    }

    private static java.util.Set<String> idsOf(Map<String, Parameter> params) {
        java.util.Set<String> ids = new java.util.HashSet<>();
        params.values().forEach(p -> ids.add(p.getId()));
        return ids;
    }

    /**
     * Returns the parameters that take gradients, by path, in the block's order.
     *
     * @return the trainable parameters
     */
    public Map<String, Parameter> trainableParameters() {
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
        return loss;
    }

    /**
     * Returns the metrics beyond the loss.
     *
     * @return the metrics
     */
    public List<Metric> metrics() {
        return metrics;
    }

    /**
     * Returns the training device.
     *
     * @return the device
     */
    public Device device() {
        return device;
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
     * Returns the optimizer's description.
     *
     * @return the spec
     */
    public OptimizerSpec optimizerSpec() {
        return optimizerSpec;
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

    void restoreCounters(int epochsDone, long globalStep) {
        this.epochsDone = epochsDone;
        this.globalStep = globalStep;
    }

    private String stopReason;

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

    /**
     * Returns the number of epochs completed in all fits.
     *
     * @return the epochs done
     */
    public int epochsDone() {
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

    /** Frees the optimizer state and the model. */
    @Override
    public void close() {
        if (optimizer != null) {
            optimizer.close();
        }
        model.close();
    }
}
