package io.github.luzj.fit.internal;

import ai.djl.engine.Engine;
import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.checkpoint.Checkpoint;
import io.github.luzj.checkpoint.CheckpointLock;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.HostBatch;
import io.github.luzj.data.HostStaging;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.ParamGroup;
import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fit loop. It reads top to bottom like luz's {@code fit}:
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
 * <p>The batches run in a {@link BatchRunner} (a manager of their own per batch, staging, fit's
 * error messages); this class supplies the training step, and validation is {@link ValidStep},
 * which {@code evaluate} runs too.
 */
public final class FitLoop {

    /** Training batches that recompute batch norm's statistics at schedule-free's x. */
    static final int BATCH_NORM_BATCHES = 50;

    private final Session session;
    private final DataLoader train;
    private final DataLoader valid;
    private boolean warnedNaN;
    private final FitOptions options;
    private final CallbackList callbacks;
    private final HostStaging staging;
    private FitContext ctx;
    private BatchRunner trainRunner;
    private BatchRunner validRunner;

    private FitLoop(Session session, DataLoader train, DataLoader valid, FitOptions options) {
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
        // validated in the dataset's order, as evaluate reads it, whether or not the loader shuffles
        new FitLoop(session, train, valid == null ? null : valid.inOrder(), options).run();
    }

    /** Runs the fit to its last epoch or until a callback stops it. */
    private void run() {
        try {
            session.prepare(new Shape(train.featureShape()));
            Map<String, String> config = RunSettings.of(session, train, valid, options);
            // a resumed fit counts epochs from the original run's start
            int done = session.epochsDone();
            Checks.check(
                    options.resumeFrom() != null || done <= Integer.MAX_VALUE - options.epochs(),
                    "the model has trained %d epochs already, and %d more would count past %d;"
                            + " start a new fit from a new block",
                    done,
                    options.epochs(),
                    Integer.MAX_VALUE);
            int lastEpoch = options.resumeFrom() == null ? done + options.epochs() : options.epochs();
            runFrom(config, lastEpoch);
        } catch (RuntimeException | Error e) {
            // a state loaded for this fit must not be taken up by the instances' next fit
            callbacks.forgetLoadedStates();
            // an optimizer this fit's prepare replaced is this fit's only: a refused resume has
            // put it back by now, and a later fit must not take it for its own
            session.closeRetired();
            throw e;
        }
    }

    private void runFrom(Map<String, String> config, int lastEpoch) {
        Resumed resumed =
                options.resumeFrom() == null ? null : new Resumed(options.resumeFrom(), config, lastEpoch);
        int firstEpoch = session.epochsDone() + 1;
        int base = lastEpoch - options.epochs();
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
        validRunner =
                new BatchRunner(session.model().getNDManager(), session.device(), staging).within(ctx);
        trainRunner = validRunner.withGradients();
        NDManager metricManager = session.model().getNDManager().newSubManager();
        try (metricManager; resumed) {
            Sets sets = new Sets(metricManager);
            ctx.runningSums = sets::running;
            int skipBatches = resumed == null ? 0 : resumed.restore(sets);
            ctx.batchesTrained = skipBatches;
            ctx.fire(Phase.FIT_BEGIN);
            if (resumed != null) {
                resumed.commit();
            }
            session.closeRetired();
            for (int epoch = firstEpoch; epoch <= lastEpoch; epoch++) {
                ctx.epoch = epoch;
                ctx.pendingEpoch = null;
                ctx.batchesTrained = epoch == firstEpoch ? skipBatches : 0;
                ctx.fire(Phase.EPOCH_BEGIN);
                ctx.training = true;
                session.optimizer().train();
                ctx.fire(Phase.TRAIN_BEGIN);
                trainEpoch(epoch, sets, ctx.batchesTrained);
                ctx.fire(Phase.TRAIN_END);
                toEvaluationPoint(epoch);
                boolean validate = valid != null && !ctx.stopRequested();
                boolean validated = false;
                if (validate) {
                    ctx.training = false;
                    ctx.fire(Phase.VALID_BEGIN);
                    validated = validEpoch(sets);
                    ctx.fire(Phase.VALID_END);
                }
                if (ctx.batchesTrained < train.size() || (valid != null && !validated)) {
                    ctx.pendingEpoch = sets.running(); // a checkpoint now must finish this epoch
                }
                record(epoch, Records.TRAIN, sets.train);
                if (validated) {
                    record(epoch, Records.VALID, sets.valid);
                } else {
                    ctx.setMetrics(Records.VALID, Map.of()); // no stale values from an earlier epoch
                }
                session.countEpoch();
                ctx.fire(Phase.EPOCH_END);
                if (ctx.stopRequested()) {
                    if (epoch >= ctx.minEpochs() || ctx.aborted) {
                        break;
                    }
                    ctx.stopReason = null; // luz's min_epochs: too early to stop
                }
            }
            ctx.fire(Phase.FIT_END);
            session.setStopReason(ctx.stopReason);
            discardPendingGradients();
        } finally {
            ctx.releaseLocks();
        }
    }

    /**
     * A checkpoint being resumed from: locked, read into the session, checked against the fit.
     * Until {@link #commit()}, which the fit calls once its {@code FIT_BEGIN} went through, the
     * session as it was before the read is kept, and closing puts it back: a resume refused after
     * the checkpoint was read (an optimizer state or split epoch that cannot be read, a callback's
     * check when the fit begins) leaves the model, its optimizer, records and counters as they
     * were, so that its next fit is the one it would have run.
     */
    private final class Resumed implements AutoCloseable {
        private final Path dir;
        private final CheckpointLock lock;
        private final Checkpoint.Meta meta;
        private Session.Saved before;

        Resumed(Path dir, Map<String, String> config, int lastEpoch) {
            this.dir = dir;
            Checkpoint.requireExists(dir); // the lock would make a mistyped folder
            this.lock = CheckpointLock.acquire(dir);
            Checkpoint.Meta loaded;
            try {
                before = session.save();
                // the fit's checks and the callbacks' states before the weights change
                loaded = Checkpoint.load(
                        dir, session.model().getBlock(), session.optimizer(), session.records(),
                        config, m -> restoreCallbacks(m, lastEpoch));
                // the callbacks hold their bytes now: the fit need not keep a second copy
                meta = new Checkpoint.Meta(loaded.position(), loaded.callbackStates(), loaded.running(), loaded.run());
                Checkpoint.Position at = meta.position();
                session.restoreCounters(at.epochsDone(), at.globalStep());
                session.adoptRunId(meta.run().id());
            } catch (RuntimeException | Error e) {
                // an Error too (an assertion in a callback's loadState, memory): the lock and the
                // copy must not outlive this fit
                try {
                    close();
                } catch (RuntimeException | Error second) {
                    e.addSuppressed(second);
                }
                throw e;
            }
        }

        /** The fit has begun: what it changes from here on is training, not the resume's read. */
        void commit() {
            before.close();
            before = null;
        }

        /** Restores the split epoch's sums; returns the batches to skip. */
        int restore(Sets sets) {
            if (meta.running() != null) {
                sets.restoreRunning(meta.running(), dir);
            }
            return meta.position().batchesDone();
        }

        /** Checks the checkpoint against this fit and loads the callbacks' states. */
        private void restoreCallbacks(Checkpoint.Meta meta, int lastEpoch) {
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
                callbacks.loadStates(meta.callbackStates(), meta.callbackBytes());
            } catch (LuzjException e) {
                // a callback's own message names the value, not the checkpoint
                throw new LuzjException("cannot resume from " + dir + ": " + e.getMessage(), e);
            } catch (RuntimeException e) {
                throw new LuzjException(
                        "checkpoint " + dir + " is damaged: callbacks hold a state that cannot be"
                                + " read (" + e + "); resume from another checkpoint, or start"
                                + " afresh", e);
            }
        }

        private void checkSameCallbacks(Map<String, JsonElement> saved) {
            Map<String, JsonElement> now = callbacks.states();
            Set<String> keys = new TreeSet<>(saved.keySet());
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
            // the copy is freed and the lock released even when putting the session back fails
            try (lock; Session.Saved undo = before) {
                before = null;
                if (undo != null) {
                    undo.restore();
                }
            }
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
        ParameterStore ps = session.parameterStore();
        new BatchRunner(session.model().getNDManager(), session.device(), staging)
                .featuresOnly()
                .run(train, epoch, (hb, x, y, index) -> {
                    BatchErrors.forward(block, ps, x, true);
                    return index + 1 < BATCH_NORM_BATCHES;
                });
    }

    private static boolean hasBatchNorm(Block block) {
        if (block instanceof BatchNorm) {
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
        trainRunner.run(train, epoch, skip, new TrainStep(epoch, sets.train));
    }

    /**
     * A gradient collector; DJL's PyTorch engine records one at a time in the whole JVM, so a fit
     * running beside another one on a second thread is named instead of DJL's state error.
     */
    private static GradientCollector newCollector() {
        try {
            return Engine.getInstance().newGradientCollector();
        } catch (IllegalStateException e) {
            throw new LuzjException(
                    "another fit is training in this JVM at the same time (" + e.getMessage()
                            + "): DJL's PyTorch engine records the gradients of one training step"
                            + " at a time; run the fits one after another, or in separate"
                            + " processes",
                    e);
        }
    }

    /**
     * Runs the backward pass; a loss that no gradient leads back from (a callback's
     * {@code setLoss} with a new array rather than one computed from the batch) is named, where
     * LibTorch says only that the tensor "does not require grad".
     */
    private static void backward(GradientCollector gc, NDArray loss) {
        try {
            gc.backward(loss);
        } catch (EngineException e) {
            if (!loss.hasGradient()) {
                throw new LuzjException(
                        "the batch's loss does not depend on the model's weights, so there is"
                                + " nothing to train on; a callback's setLoss must give an array"
                                + " computed from the batch's predictions or loss, not a new one",
                        e);
            }
            throw e;
        }
    }

    /**
     * A training batch: forward, loss, backward and (every k batches with accumulation, and on
     * the epoch's last) the optimizer step, with the training batch phases; a stop request
     * stops after the batch.
     */
    private final class TrainStep implements BatchRunner.Step {
        private final int epoch;
        private final SetSums sums;
        private final ForwardPass forward = ForwardPass.training(session);
        private final int k = options.accumulateGradBatches();

        TrainStep(int epoch, SetSums sums) {
            this.epoch = epoch;
            this.sums = sums;
        }

        @Override
        public boolean run(HostBatch hb, NDList x, NDList y, int index) {
            // with accumulation, the optimizer steps every k batches and on the epoch's last
            boolean steps = k == 1 || (index + 1) % k == 0 || index + 1 == train.size();
            ctx.stepping = steps;
            ctx.fire(Phase.TRAIN_BATCH_BEGIN);
            try (GradientCollector gc = newCollector()) {
                ctx.pred = forward.forward(x);
                ctx.fire(Phase.TRAIN_BATCH_AFTER_PRED);
                ctx.loss = BatchErrors.loss(session.loss(), y, ctx.pred);
                ctx.fire(Phase.TRAIN_BATCH_AFTER_LOSS);
                ctx.fire(Phase.TRAIN_BATCH_BEFORE_BACKWARD);
                backward(gc, k == 1 ? ctx.loss : ctx.loss.div(k));
            }
            if (steps) {
                ctx.fire(Phase.TRAIN_BATCH_BEFORE_STEP);
                recordHyperparameters(epoch);
                session.optimizer().step();
                session.countStep();
                ctx.fire(Phase.TRAIN_BATCH_AFTER_STEP);
            } else {
                session.optimizer().setGradientsPending(true);
            }
            sums.update(ctx.loss, hb.size(), ctx.pred, y);
            ctx.batchesTrained++;
            ctx.fire(Phase.TRAIN_BATCH_END);
            return !ctx.stopRequested();
        }
    }

    /** Validates; false when an abort (Ctrl-C) cut validation short. */
    private boolean validEpoch(Sets sets) {
        // folded from this epoch's weights, and only for this validation
        try (ForwardPass forward = ForwardPass.inference(session, session.model().getNDManager())) {
            return validRunner.run(valid, 1, new ValidStep(ctx, session, sets.valid, forward));
        }
    }

    private void recordHyperparameters(int epoch) {
        long step = session.globalStep() + 1;
        for (ParamGroup g : session.optimizer().groups()) {
            session.records()
                    .addStep(new Records.StepEntry(step, epoch, g.name(), g.lr(), g.momentum()));
        }
    }

    private void record(int epoch, String set, SetSums sums) {
        Map<String, Double> values = sums.computeAndReset();
        Double loss = values.get("loss");
        if (loss != null && loss.isNaN() && !warnedNaN && !ctx.stopRequested()) {
            warnedNaN = true; // once a fit: a NaN model stays NaN
            ctx.warn("the " + (Records.TRAIN.equals(set) ? "training" : "validation")
                    + " loss of epoch " + epoch + " is NaN: lower the learning rate or clip the"
                    + " gradients (GradientClipping), check the data for NaN or infinite values,"
                    + " and add TerminateOnNaN to stop at the first NaN batch");
        }
        values.forEach((metric, value) -> session.records().add(set, metric, epoch, value));
        ctx.setMetrics(set, values);
    }

    /** The running sums of both sets, kept for the whole fit. */
    private final class Sets {
        final SetSums train;
        final SetSums valid;

        Sets(NDManager manager) {
            train = new SetSums(manager, session.metrics());
            valid = new SetSums(manager, session.metrics());
        }

        /** The training sums of the epoch in progress, for a checkpoint. */
        JsonObject running() {
            JsonObject o = new JsonObject();
            o.add("loss", json(train.loss.state()));
            JsonObject metrics = new JsonObject();
            train.metrics.forEach((name, a) -> {
                double[] s = a.state();
                if (s != null) {
                    metrics.add(name, json(s));
                }
            });
            o.add("metrics", metrics);
            return o;
        }

        void restoreRunning(JsonObject running, Path dir) {
            try {
                train.loss.restore(doubles(running.get("loss")));
                JsonObject saved = running.getAsJsonObject("metrics");
                for (Map.Entry<String, Metric.Accumulator> e : train.metrics.entrySet()) {
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

        private static JsonArray json(double[] values) {
            JsonArray a = new JsonArray();
            for (double v : values) {
                a.add(v);
            }
            return a;
        }

        private static double[] doubles(JsonElement el) {
            JsonArray a = el.getAsJsonArray();
            double[] out = new double[a.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = a.get(i).getAsDouble();
            }
            return out;
        }
    }
}
