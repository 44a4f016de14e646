package io.github.luzj.lrfinder;

import ai.djl.ndarray.NDManager;
import io.github.luzj.FittedModel;
import io.github.luzj.SetupModel;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Context;
import io.github.luzj.data.DataLoader;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.fit.internal.FitLoop;
import io.github.luzj.fit.internal.ParameterSnapshot;
import io.github.luzj.fit.internal.Session;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The learning-rate range test (luz's {@code lr_finder}, fastai's {@code lr_find}): trains for a
 * few batches while the learning rate grows from {@code startLr} to {@code endLr}, records the
 * loss at every step, and then puts the model back as it was.
 *
 * <pre>{@code
 * SetupModel model = Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam());
 * LrFinderResult r = LrFinder.builder().startLr(1e-4).endLr(0.3).build().run(model, trainLoader);
 * r.writeCsv(Path.of("lr_finder.csv"));
 * LrFinderPlot.defaults().writePng(r, Path.of("lr_finder.png"));
 * FittedModel fitted = model.fit(trainLoader, 5, null);   // starts from the same weights
 * }</pre>
 *
 * <p>The sweep runs in luzj's own fit loop with a throw-away optimizer of the model's kind, so the
 * model's optimizer state is never touched. All parameter arrays of the block (weights and the
 * arrays without gradient, such as BatchNorm's running statistics) are copied on the device before
 * the first step and copied back afterwards, unless {@link Builder#keepChanges(boolean)} asks to
 * keep what the sweep trained. After a non-finite loss they are always copied back, since the
 * last step wrote NaN into them. The data are iterated across epoch boundaries when an epoch has
 * fewer batches than steps.
 *
 * <p>Side effects that remain: the engine's random generator has moved on (dropout masks of a
 * following {@link FittedModel#fit} differ; {@link SetupModel#fit} reseeds it), and a
 * {@link SetupModel}'s block is now initialized, with the weights that {@code fit} with the same
 * seed would have drawn. Those parameters then belong to no DJL model, so closing the model of
 * a later fit does not free them; weights the user made in a manager of their own (a pretrained
 * net) go back to that manager, which frees them when it closes.
 */
public final class LrFinder {

    private static final Logger LOG = LoggerFactory.getLogger(LrFinder.class);

    private final LrSchedule schedule;
    private final double beta;
    private final boolean stopOnDivergence;
    private final double divergenceFactor;
    private final boolean keepChanges;
    private final long seed;

    private LrFinder(Builder b) {
        this.schedule = new LrSchedule(b.startLr, b.endLr, b.steps, b.logSpaced);
        this.beta = b.beta;
        this.stopOnDivergence = b.stopOnDivergence;
        this.divergenceFactor = b.divergenceFactor;
        this.keepChanges = b.keepChanges;
        this.seed = b.seed;
    }

    /**
     * Starts a finder with the defaults: 100 log-spaced steps from 1e-7 to 0.1, smoothing 0.9, no
     * stop on divergence, the model restored afterwards.
     *
     * @return a builder
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Runs a sweep on a set-up model. The block is initialized first (with {@link #seed()}, as
     * {@code fit} would) and ends with the weights and statistics it started from.
     *
     * @param setup the set-up, not yet fitted model
     * @param train the training data
     * @return the sweep's record
     */
    public LrFinderResult run(SetupModel setup, DataLoader train) {
        Checks.check(setup != null, "the model is null; pass the SetupModel to sweep");
        checkData(train);
        try (Session trial = setup.trialSession(seed)) {
            return sweep(trial, train);
        }
    }

    /**
     * Runs a sweep on a fitted model, for example before fine-tuning it further. Its weights,
     * statistics, optimizer state, counters and records are what they were before.
     *
     * @param fitted the model
     * @param train the training data
     * @return the sweep's record
     */
    public LrFinderResult run(FittedModel fitted, DataLoader train) {
        Checks.check(fitted != null, "the model is null; pass the FittedModel to sweep");
        checkData(train);
        try (Session trial = fitted.trialSession()) {
            return sweep(trial, train);
        }
    }

    private static void checkData(DataLoader train) {
        Checks.check(train != null, "the training data is null; pass a DataLoader");
    }

    private LrFinderResult sweep(Session session, DataLoader train) {
        int epochs = (schedule.steps() + train.size() - 1) / train.size();
        ParameterSnapshot[] snapshot = new ParameterSnapshot[1];
        SweepCallback callback =
                new SweepCallback(
                        schedule,
                        beta,
                        stopOnDivergence,
                        divergenceFactor,
                        session.recipe().optimizer().lr(),
                        ctx -> snapshot[0] = takeSnapshot(ctx));
        FitOptions options =
                FitOptions.builder(train)
                        .epochs(epochs)
                        .verbose(false)
                        .seed(seed)
                        .callbacks(callback)
                        .build();
        boolean failed = true;
        try {
            FitLoop.fit(session, options);
            failed = false;
        } finally {
            finish(snapshot[0], callback.stopReason(), failed);
        }
        LrFinderResult result = callback.result();
        if (result.stopReason() == StopReason.NON_FINITE_LOSS) {
            LOG.warn(
                    "LR finder: the loss became {} at step {} (lr {}); the sweep stopped there and"
                            + " the model was restored. Suggestions use the {} steps before it.",
                    result.loss()[result.steps() - 1],
                    result.steps(),
                    result.lr()[result.steps() - 1],
                    result.finiteSteps());
        }
        return result;
    }

    private static ParameterSnapshot takeSnapshot(Context ctx) {
        NDManager parent = ctx.model().getNDManager();
        return ParameterSnapshot.take(ctx.block(), parent, "luzj-lrfinder-snapshot");
    }

    /** Puts the weights back unless asked to keep them; the trial's close frees its optimizer. */
    private void finish(ParameterSnapshot snapshot, StopReason reason, boolean failed) {
        if (snapshot == null) {
            return;
        }
        try {
            if (failed || !keepChanges || reason == StopReason.NON_FINITE_LOSS) {
                snapshot.restore();
            }
        } finally {
            snapshot.close();
        }
    }

    /**
     * Returns the learning rates of the sweep's steps.
     *
     * @return the schedule
     */
    public LrSchedule schedule() {
        return schedule;
    }

    /**
     * Returns the smoothing weight.
     *
     * @return beta
     */
    public double beta() {
        return beta;
    }

    /**
     * Tells whether the sweep stops when the smoothed loss diverges.
     *
     * @return true to stop early
     */
    public boolean stopOnDivergence() {
        return stopOnDivergence;
    }

    /**
     * Returns how many times its minimum the smoothed loss may reach before the sweep stops.
     *
     * @return the divergence factor
     */
    public double divergenceFactor() {
        return divergenceFactor;
    }

    /**
     * Tells whether the weights and statistics the sweep trained are kept.
     *
     * @return true to keep them
     */
    public boolean keepChanges() {
        return keepChanges;
    }

    /**
     * Returns the seed of weight initialization for a set-up model.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /** Settings of an {@link LrFinder}; each setter checks its argument. */
    public static final class Builder {
        private double startLr = 1e-7;
        private double endLr = 0.1;
        /** The longest sweep: a million batches, days of training on a CPU. */
        public static final int MAX_STEPS = 1_000_000;

        private int steps = 100;
        private boolean logSpaced = true;
        private double beta = 0.9;
        private boolean stopOnDivergence;
        private double divergenceFactor = 4;
        private boolean keepChanges;
        private long seed = 1;

        private Builder() {}

        /**
         * Sets the rate the sweep starts from (1e-7 by default; the chapter uses 1e-4).
         *
         * @param startLr a finite number {@code > 0}
         * @return this builder
         */
        public Builder startLr(double startLr) {
            this.startLr = LrSchedule.checkStartLr(startLr);
            return this;
        }

        /**
         * Sets the rate of the last step (0.1 by default; the chapter uses 0.3).
         *
         * @param endLr a finite number {@code > startLr}
         * @return this builder
         */
        public Builder endLr(double endLr) {
            this.endLr = Checks.positive("endLr", endLr); // build() checks it against startLr
            return this;
        }

        /**
         * Sets the number of steps (100 by default).
         *
         * @param steps {@code >= 2}
         * @return this builder
         */
        public Builder steps(int steps) {
            Checks.atLeast("steps", steps, 2);
            this.steps = Checks.atMost("steps", steps, MAX_STEPS,
                    "the sweep trains one batch per step and keeps every step's loss in memory");
            return this;
        }

        /**
         * Spaces the rates geometrically (the default) or arithmetically.
         *
         * @param logSpaced false for linear spacing
         * @return this builder
         */
        public Builder logSpaced(boolean logSpaced) {
            this.logSpaced = logSpaced;
            return this;
        }

        /**
         * Sets the smoothing weight of the loss (0.9 by default).
         *
         * @param beta in [0, 1); 0 reports the raw loss
         * @return this builder
         */
        public Builder beta(double beta) {
            this.beta = LossSmoother.checkBeta(beta);
            return this;
        }

        /**
         * Stops once the smoothed loss exceeds {@link #divergenceFactor(double)} times its
         * minimum (off by default).
         *
         * @param stopOnDivergence true to stop early
         * @return this builder
         */
        public Builder stopOnDivergence(boolean stopOnDivergence) {
            this.stopOnDivergence = stopOnDivergence;
            return this;
        }

        /**
         * Sets how many times its minimum the smoothed loss may reach (4 by default).
         *
         * @param divergenceFactor a finite number {@code > 1}
         * @return this builder
         */
        public Builder divergenceFactor(double divergenceFactor) {
            if (!(Double.isFinite(divergenceFactor) && divergenceFactor > 1)) {
                throw Checks.fail("divergenceFactor", "a finite number > 1 (4 is usual)",
                        Checks.fmt(divergenceFactor));
            }
            this.divergenceFactor = divergenceFactor;
            return this;
        }

        /**
         * Keeps the weights and statistics the sweep trained instead of restoring them (off by
         * default). The sweep's optimizer state is never kept.
         *
         * @param keepChanges true to keep them
         * @return this builder
         */
        public Builder keepChanges(boolean keepChanges) {
            this.keepChanges = keepChanges;
            return this;
        }

        /**
         * Sets the seed that initializes a set-up model's weights (1 by default, as
         * {@code fit}'s).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Builds the finder.
         *
         * @return the finder
         * @throws io.github.luzj.base.LuzjException when {@code endLr <= startLr}
         */
        public LrFinder build() {
            return new LrFinder(this);
        }
    }
}
