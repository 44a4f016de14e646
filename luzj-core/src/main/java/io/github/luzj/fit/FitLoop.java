package io.github.luzj.fit;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import io.github.luzj.base.Checks;
import io.github.luzj.base.GradMode;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.CallbackList;
import io.github.luzj.callback.Phase;
import io.github.luzj.checkpoint.Checkpoint;
import io.github.luzj.data.BatchIterator;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.HostBatch;
import io.github.luzj.data.HostStaging;
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
    private final HostStaging staging;
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
        this.staging = session.newStaging();
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
        BatchErrors.requireLabels(train, "the training data", "fit");
        BatchErrors.requireLabels(valid, "the validation data", "fit");
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
        Map<String, String> config = RunSettings.of(session, train, valid, options);
        Resumed resumed =
                options.resumeFrom() == null ? null : new Resumed(options.resumeFrom(), config);
        // a resumed fit counts epochs from the original run's start
        int base = resumed == null ? session.epochsDone() : 0;
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
        ctx.fitEpochs = options.epochs();
        ctx.accumulate = options.accumulateGradBatches();
        ctx.config = config;
        ctx.overwriteCheckpoints = options.overwriteCheckpoints();
        NDManager metricManager = session.model().getNDManager().newSubManager();
        try (metricManager; resumed) {
            Sets sets = new Sets(metricManager);
            ctx.runningSums = sets::running;
            int skipBatches = resumed == null ? 0 : resumed.restore(lastEpoch, sets);
            ctx.batchesTrained = skipBatches;
            fire(Phase.FIT_BEGIN);
            for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
                ctx.epoch = epoch;
                ctx.pendingEpoch = null;
                ctx.batchesTrained = epoch == firstEpoch ? skipBatches : 0;
                fire(Phase.EPOCH_BEGIN);
                ctx.training = true;
                session.optimizer().train();
                fire(Phase.TRAIN_BEGIN);
                trainEpoch(epoch, sets, ctx.batchesTrained);
                fire(Phase.TRAIN_END);
                toEvaluationPoint(epoch);
                boolean validate = valid != null && !ctx.stopRequested();
                boolean validated = false;
                if (validate) {
                    ctx.training = false;
                    fire(Phase.VALID_BEGIN);
                    validated = validEpoch(sets);
                    fire(Phase.VALID_END);
                }
                if (ctx.batchesTrained < train.size() || (valid != null && !validated)) {
                    ctx.pendingEpoch = sets.running(); // a checkpoint now must finish this epoch
                }
                record(epoch, Records.TRAIN, sets.trainLoss, sets.train);
                if (validated) {
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
                }
            }
            fire(Phase.FIT_END);
            session.setStopReason(ctx.stopReason);
            discardPendingGradients();
        } finally {
            ctx.releaseLocks();
        }
    }

    /** A checkpoint being resumed from: locked, read into the session, checked against the fit. */
    private final class Resumed implements AutoCloseable {
        private final java.nio.file.Path dir;
        private final io.github.luzj.checkpoint.CheckpointLock lock;
        private final Checkpoint.Meta meta;

        Resumed(java.nio.file.Path dir, Map<String, String> config) {
            this.dir = dir;
            this.lock = io.github.luzj.checkpoint.CheckpointLock.acquire(dir);
            try {
                meta = Checkpoint.load(
                        dir, session.model().getBlock(), session.optimizer(), session.records(),
                        config);
            } catch (RuntimeException e) {
                lock.close();
                throw e;
            }
            Checkpoint.Position at = meta.position();
            session.restoreCounters(at.epochsDone(), at.globalStep());
            session.adoptRunId(meta.run().id());
        }

        /** Restores the callbacks and the split epoch's sums; returns the batches to skip. */
        int restore(int lastEpoch, Sets sets) {
            Checkpoint.Position at = meta.position();
            Checks.check(
                    lastEpoch >= meta.run().epochs(),
                    "cannot resume from %s: its run was set to %d epochs, this fit to %d; only"
                            + " raising the epochs is allowed",
                    dir, meta.run().epochs(), lastEpoch);
            Checks.check(
                    at.batchesDone() <= train.size(),
                    "cannot resume from %s: it stopped after batch %d of an epoch, but this fit's"
                            + " epochs have %d batches; resume with the same data and batch size",
                    dir, at.batchesDone(), train.size());
            checkSameCallbacks(meta.callbackStates());
            try {
                callbacks.loadStates(meta.callbackStates());
            } catch (LuzjException e) {
                throw e;
            } catch (RuntimeException e) {
                throw new LuzjException(
                        "checkpoint " + dir + " is damaged: callbacks hold a state that cannot be"
                                + " read (" + e + "); resume from another checkpoint, or start"
                                + " afresh", e);
            }
            if (meta.running() != null) {
                sets.restoreRunning(meta.running(), dir);
            }
            return at.batchesDone();
        }

        private void checkSameCallbacks(Map<String, com.google.gson.JsonElement> saved) {
            Map<String, com.google.gson.JsonElement> now = callbacks.states();
            java.util.Set<String> keys = new java.util.TreeSet<>(saved.keySet());
            keys.addAll(now.keySet());
            List<String> diffs = new ArrayList<>();
            for (String k : keys) {
                boolean was = saved.get(k) != null && !saved.get(k).isJsonNull();
                boolean is = now.get(k) != null && !now.get(k).isJsonNull();
                if (was != is) {
                    diffs.add(k + (was ? " is in the checkpoint but not in this fit"
                            : " is in this fit but not in the checkpoint"));
                }
            }
            Checks.check(
                    diffs.isEmpty(),
                    "cannot resume from %s: its callbacks differ from this fit's: %s; resume with"
                            + " the callbacks it was written with",
                    dir, String.join("; ", diffs));
        }

        @Override
        public void close() {
            lock.close();
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
                GradMode ignored = GradMode.off()) {
            for (int i = 0; i < BATCH_NORM_BATCHES && batches.hasNext(); i++) {
                HostBatch hb = batches.next();
                try (NDManager bm = newBatchManager()) {
                    BatchErrors.forward(block, session.parameterStore(), staging.features(hb, bm), true);
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
                    ctx.pred = BatchErrors.forward(block, ps, x, true);
                    fire(Phase.TRAIN_BATCH_AFTER_PRED);
                    ctx.loss = BatchErrors.loss(session.loss(), y, ctx.pred);
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
                ctx.batchesTrained++;
                fire(Phase.TRAIN_BATCH_END);
            } finally {
                ctx.endBatch();
            }
            if (ctx.stopRequested()) {
                break;
            }
        }
    }

    /** Validates; false when an abort (Ctrl-C) cut validation short. */
    private boolean validEpoch(Sets sets) {
        Block block = session.model().getBlock();
        ParameterStore ps = session.parameterStore();
        // grad mode is per thread and on by default; no graph is needed for validation
        try (BatchIterator batches = valid.iterator(1);
                GradMode ignored = GradMode.off()) {
            return validBatches(batches, sets, block, ps);
        }
    }

    private boolean validBatches(BatchIterator batches, Sets sets, Block block, ParameterStore ps) {
        int index = 0;
        while (batches.hasNext()) {
            HostBatch hb = batches.next();
            try (NDManager bm = newBatchManager()) {
                NDList x = staging.features(hb, bm);
                NDList y = staging.labels(hb, bm);
                ctx.startBatch(bm, x, y, index++);
                fire(Phase.VALID_BATCH_BEGIN);
                ctx.pred = BatchErrors.forward(block, ps, x, false);
                fire(Phase.VALID_BATCH_AFTER_PRED);
                ctx.loss = BatchErrors.loss(session.loss(), y, ctx.pred);
                fire(Phase.VALID_BATCH_AFTER_LOSS);
                sets.validLoss.update(ctx.loss, hb.size());
                for (Metric.Accumulator a : sets.valid.values()) {
                    a.update(ctx.pred, y);
                }
                fire(Phase.VALID_BATCH_END);
            } finally {
                ctx.endBatch();
            }
            if (ctx.aborted) {
                return false;
            }
        }
        return true;
    }

    private NDManager newBatchManager() {
        return session.model().getNDManager().newSubManager(session.device());
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

        /** The training sums of the epoch in progress, for a checkpoint. */
        com.google.gson.JsonObject running() {
            com.google.gson.JsonObject o = new com.google.gson.JsonObject();
            o.add("loss", json(trainLoss.state()));
            com.google.gson.JsonObject metrics = new com.google.gson.JsonObject();
            train.forEach((name, a) -> {
                double[] s = a.state();
                if (s != null) {
                    metrics.add(name, json(s));
                }
            });
            o.add("metrics", metrics);
            return o;
        }

        void restoreRunning(com.google.gson.JsonObject running, java.nio.file.Path dir) {
            try {
                trainLoss.restore(doubles(running.get("loss")));
                com.google.gson.JsonObject saved = running.getAsJsonObject("metrics");
                for (Map.Entry<String, Metric.Accumulator> e : train.entrySet()) {
                    if (saved.has(e.getKey())) {
                        e.getValue().restore(doubles(saved.get(e.getKey())));
                    }
                }
            } catch (LuzjException e) {
                throw new LuzjException(
                        "checkpoint " + dir + " is damaged: running: " + e.getMessage()
                                + "; resume from another checkpoint, or start afresh", e);
            }
        }

        private static com.google.gson.JsonArray json(double[] values) {
            com.google.gson.JsonArray a = new com.google.gson.JsonArray();
            for (double v : values) {
                a.add(v);
            }
            return a;
        }

        private static double[] doubles(com.google.gson.JsonElement el) {
            com.google.gson.JsonArray a = el.getAsJsonArray();
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.get(i).getAsDouble();
            }
            return out;
        }
    }
}
