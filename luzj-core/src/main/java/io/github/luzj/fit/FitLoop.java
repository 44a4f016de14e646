package io.github.luzj.fit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.luzj.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.CallbackList;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.BatchIterator;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.HostBatch;
import io.github.luzj.data.HostStaging;
import io.github.luzj.io.Checkpoint;
import io.github.luzj.metric.LossAverage;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.ParamGroup;
import io.github.luzj.record.Records;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The fit loop: the one place that fires {@link Phase}s. It reads top to bottom like luz's
 * {@code fit}:
 *
 * <pre>
 * fit begin
 *   for epoch:
 *     epoch begin, train begin
 *     for batch: begin → forward → after pred → loss → after loss → before backward → backward
 *                → before step → optimizer step → after step → metrics (on device) → batch end
 *                (with gradient accumulation over k batches, the step and its two phases only
 *                every k batches and on the epoch's last)
 *     train end (schedule-free AdamW: parameters to x, batch norm statistics recomputed)
 *     valid begin; for batch: begin → forward (training=false) → after pred → loss → after loss
 *                → metrics → batch end; valid end
 *     metrics computed once → records → epoch end
 * fit end
 * </pre>
 *
 * <p>Every batch's arrays live in a manager of their own that closes when the batch ends, so
 * nothing allocated per batch outlives it.
 */
public final class FitLoop {

    /** Training batches that recompute batch norm's statistics at schedule-free's x. */
    static final int BATCH_NORM_BATCHES = 50;

    private final Session session;
    private final DataLoader train;
    private final DataLoader valid;
    private final FitOptions options;
    private final CallbackList callbacks;
    private final HostStaging staging = new HostStaging();
    private FitContext ctx;

    /**
     * Prepares a fit of {@code session}'s model.
     *
     * @param session the model, optimizer and records
     * @param train the training data
     * @param valid the validation data, or null
     * @param options the epochs, callbacks and verbosity
     */
    public FitLoop(Session session, DataLoader train, DataLoader valid, FitOptions options) {
        this.session = session;
        this.train = train;
        this.valid = valid;
        this.options = options;
        List<Callback> all = new ArrayList<>(options.callbacks());
        if (options.verbose()) {
            all.add(new ProgressCallback());
        }
        this.callbacks = new CallbackList(all);
    }

    /**
     * Fits {@code session}'s model as {@code options} say, holding out a random validation
     * fraction first when asked.
     *
     * @param session the model, optimizer and records
     * @param options the fit's arguments
     */
    public static void fit(Session session, FitOptions options) {
        DataLoader train = options.train();
        DataLoader valid = options.valid();
        if (options.validFraction() > 0) {
            DataLoader[] split = ValidationSplit.split(train, options.validFraction(), options.seed());
            train = split[0];
            valid = split[1];
        }
        new FitLoop(session, train, valid, options).run();
    }

    /** Runs the fit to its last epoch or until a callback stops it. */
    public void run() {
        session.prepare(new Shape(train.featureShape()));
        int skipBatches = 0;
        int base = session.epochsDone();
        if (options.resumeFrom() != null) {
            Checkpoint.Meta meta =
                    Checkpoint.load(
                            options.resumeFrom(),
                            session.model().getBlock(),
                            session.optimizer(),
                            session.records());
            Checkpoint.Position at = meta.position();
            session.restoreCounters(at.epochsDone(), at.globalStep());
            callbacks.loadStates(meta.callbackStates());
            skipBatches = at.batchesDone();
            base = 0; // epochs count from the original run's start
        }
        int firstEpoch = session.epochsDone() + 1;
        int lastEpoch = base + options.epochs();
        ctx =
                new FitContext(
                        session,
                        callbacks,
                        options.verbose(),
                        lastEpoch,
                        base + options.minEpochs(),
                        train.size(),
                        valid == null ? 0 : valid.size());
        ctx.accumulate = options.accumulateGradBatches();
        NDManager metricManager = session.model().getNDManager().newSubManager();
        try (metricManager) {
            Sets sets = new Sets(metricManager);
            fire(Phase.FIT_BEGIN);
            for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
                ctx.epoch = epoch;
                fire(Phase.EPOCH_BEGIN);
                ctx.training = true;
                session.optimizer().train();
                fire(Phase.TRAIN_BEGIN);
                trainEpoch(epoch, sets, epoch == firstEpoch ? skipBatches : 0);
                fire(Phase.TRAIN_END);
                toEvaluationPoint(epoch);
                boolean validate = valid != null && !ctx.stopRequested();
                if (validate) {
                    ctx.training = false;
                    fire(Phase.VALID_BEGIN);
                    validEpoch(sets);
                    fire(Phase.VALID_END);
                }
                record(epoch, Records.TRAIN, sets.trainLoss, sets.train);
                if (validate) {
                    record(epoch, Records.VALID, sets.validLoss, sets.valid);
                } else {
                    ctx.setMetrics(Records.VALID, Map.of()); // no stale values from an earlier epoch
                }
                session.countEpoch();
                fire(Phase.EPOCH_END);
                if (ctx.stopRequested()) {
                    if (epoch >= ctx.minEpochs() || ctx.aborted) {
                        break;
                    }
                    ctx.stopReason = null; // luz's min_epochs: too early to stop
                    ctx.cutAfterBatches = -1;
                }
            }
            fire(Phase.FIT_END);
            session.setStopReason(ctx.stopReason);
            discardPendingGradients();
        }
    }

    /**
     * Schedule-free AdamW: the parameters go to the average x for validation, checkpoints and
     * everything after the fit, and batch norm's running statistics, gathered at y, are
     * recomputed at x over a few training batches (forward passes in training mode, no
     * gradients, no phases fired), as the reference's README asks.
     */
    private void toEvaluationPoint(int epoch) {
        if (!session.optimizer().isScheduleFree() || !session.optimizer().isTrainMode()) {
            return;
        }
        session.optimizer().eval();
        Block block = session.model().getBlock();
        if (!hasBatchNorm(block)) {
            return;
        }
        try (BatchIterator batches = train.iterator(epoch);
                NoGrad ignored = NoGrad.enter()) {
            for (int i = 0; i < BATCH_NORM_BATCHES && batches.hasNext(); i++) {
                HostBatch hb = batches.next();
                try (NDManager bm = newBatchManager()) {
                    forward(block, session.parameterStore(), staging.features(hb, bm), true);
                }
            }
        }
    }

    private static boolean hasBatchNorm(Block block) {
        if (block instanceof ai.djl.nn.norm.BatchNorm) {
            return true;
        }
        for (Block child : block.getChildren().values()) {
            if (hasBatchNorm(child)) {
                return true;
            }
        }
        return false;
    }

    /** A fit stopped in the middle of an accumulation drops the partial sum of gradients. */
    private void discardPendingGradients() {
        if (session.optimizer().gradientsPending()) {
            session.optimizer().zeroGradients();
        }
    }

    private void trainEpoch(int epoch, Sets sets, int skip) {
        Block block = session.model().getBlock();
        ParameterStore ps = session.parameterStore();
        try (BatchIterator batches = train.iterator(epoch)) {
            trainBatches(batches, epoch, sets, skip, block, ps);
        }
    }

    private void trainBatches(
            BatchIterator batches, int epoch, Sets sets, int skip, Block block, ParameterStore ps) {
        int index = 0;
        for (; index < skip && batches.hasNext(); index++) {
            batches.next(); // trained before the checkpoint this fit resumed from
        }
        int k = options.accumulateGradBatches();
        while (batches.hasNext()) {
            HostBatch hb = batches.next();
            // with accumulation, the optimizer steps every k batches and on the epoch's last
            boolean steps = k == 1 || (index + 1) % k == 0 || index + 1 == train.size();
            ctx.stepping = steps;
            try (NDManager bm = newBatchManager()) {
                NDList x = staging.features(hb, bm);
                NDList y = staging.labels(hb, bm);
                ctx.startBatch(bm, x, y, index++);
                fire(Phase.TRAIN_BATCH_BEGIN);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    ctx.pred = forward(block, ps, x, true);
                    fire(Phase.TRAIN_BATCH_AFTER_PRED);
                    ctx.loss = computeLoss(y, ctx.pred);
                    fire(Phase.TRAIN_BATCH_AFTER_LOSS);
                    fire(Phase.TRAIN_BATCH_BEFORE_BACKWARD);
                    gc.backward(k == 1 ? ctx.loss : ctx.loss.div(k));
                }
                if (steps) {
                    fire(Phase.TRAIN_BATCH_BEFORE_STEP);
                    recordHyperparameters(epoch);
                    session.optimizer().step();
                    session.countStep();
                    fire(Phase.TRAIN_BATCH_AFTER_STEP);
                } else {
                    session.optimizer().setGradientsPending(true);
                }
                sets.trainLoss.update(ctx.loss, hb.size());
                for (Metric.Accumulator a : sets.train.values()) {
                    a.update(ctx.pred, y);
                }
                fire(Phase.TRAIN_BATCH_END);
            } finally {
                ctx.endBatch();
            }
            if (ctx.stopRequested()) {
                if (batches.hasNext()) {
                    ctx.cutAfterBatches = index;
                }
                break;
            }
        }
    }

    private void validEpoch(Sets sets) {
        Block block = session.model().getBlock();
        ParameterStore ps = session.parameterStore();
        // grad mode is per thread and on by default; no graph is needed for validation
        try (BatchIterator batches = valid.iterator(1);
                NoGrad ignored = NoGrad.enter()) {
            validBatches(batches, sets, block, ps);
        }
    }

    private void validBatches(BatchIterator batches, Sets sets, Block block, ParameterStore ps) {
        int index = 0;
        while (batches.hasNext()) {
            HostBatch hb = batches.next();
            try (NDManager bm = newBatchManager()) {
                NDList x = staging.features(hb, bm);
                NDList y = staging.labels(hb, bm);
                ctx.startBatch(bm, x, y, index++);
                fire(Phase.VALID_BATCH_BEGIN);
                ctx.pred = forward(block, ps, x, false);
                fire(Phase.VALID_BATCH_AFTER_PRED);
                ctx.loss = computeLoss(y, ctx.pred);
                fire(Phase.VALID_BATCH_AFTER_LOSS);
                sets.validLoss.update(ctx.loss, hb.size());
                for (Metric.Accumulator a : sets.valid.values()) {
                    a.update(ctx.pred, y);
                }
                fire(Phase.VALID_BATCH_END);
            } finally {
                ctx.endBatch();
            }
        }
    }

    private NDManager newBatchManager() {
        return session.model().getNDManager().newSubManager(session.device());
    }

    private static NDList forward(Block block, ParameterStore ps, NDList x, boolean training) {
        try {
            return block.forward(ps, x, training);
        } catch (IllegalArgumentException | IllegalStateException | ai.djl.engine.EngineException e) {
            throw new LuzjException(
                    "the model's forward pass failed on input of shape "
                            + x.head().getShape()
                            + ": "
                            + e.getMessage()
                            + "; check that the data's shape fits the model's first layer",
                    e);
        }
    }

    private NDArray computeLoss(NDList y, NDList pred) {
        try {
            return session.loss().evaluate(y, pred);
        } catch (IllegalArgumentException | IllegalStateException | ai.djl.engine.EngineException e) {
            throw new LuzjException(
                    "the loss "
                            + session.loss().getName()
                            + " failed on predictions of shape "
                            + pred.head().getShape()
                            + " and labels of shape "
                            + y.head().getShape()
                            + ": "
                            + e.getMessage()
                            + "; check that the labels fit the model's output (class indices in"
                            + " [0, classes) for cross-entropy)",
                    e);
        }
    }

    private void recordHyperparameters(int epoch) {
        long step = session.globalStep() + 1;
        for (ParamGroup g : session.optimizer().groups()) {
            session.records()
                    .addStep(new Records.StepEntry(step, epoch, g.name(), g.lr(), g.momentum()));
        }
    }

    private void record(
            int epoch, String set, LossAverage loss, Map<String, Metric.Accumulator> metrics) {
        Map<String, Double> values = new LinkedHashMap<>();
        values.put("loss", loss.compute());
        loss.reset();
        for (Map.Entry<String, Metric.Accumulator> e : metrics.entrySet()) {
            values.put(e.getKey(), e.getValue().compute());
            e.getValue().reset();
        }
        values.forEach((metric, value) -> session.records().add(set, metric, epoch, value));
        ctx.setMetrics(set, values);
    }

    private void fire(Phase phase) {
        ctx.setPhase(phase);
        callbacks.fire(phase, ctx);
    }

    /** The running sums of both sets, kept for the whole fit. */
    private final class Sets {
        final LossAverage trainLoss;
        final LossAverage validLoss;
        final Map<String, Metric.Accumulator> train = new LinkedHashMap<>();
        final Map<String, Metric.Accumulator> valid = new LinkedHashMap<>();

        Sets(NDManager manager) {
            trainLoss = new LossAverage(manager);
            validLoss = new LossAverage(manager);
            for (Metric m : session.metrics()) {
                train.put(m.abbrev(), m.newAccumulator(manager));
                valid.put(m.abbrev(), m.newAccumulator(manager));
            }
        }
    }
}
