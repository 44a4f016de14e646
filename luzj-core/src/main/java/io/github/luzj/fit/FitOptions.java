package io.github.luzj.fit;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.data.DataLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The arguments of one {@code fit} call (luz's {@code fit(data, epochs, valid_data, callbacks,
 * verbose)}), immutable once built.
 */
public final class FitOptions {

    private final DataLoader train;
    private final DataLoader valid;
    private final double validFraction;
    private final int epochs;
    private final int minEpochs;
    private final List<Callback> callbacks;
    private final boolean verbose;
    private final long seed;
    private final Path resumeFrom;
    private final int accumulateGradBatches;
    private final Map<String, String> config;
    private final boolean overwriteCheckpoints;

    private FitOptions(Builder b) {
        this.train = b.train;
        this.valid = b.valid;
        this.validFraction = b.validFraction;
        this.epochs = b.epochs;
        this.minEpochs = b.minEpochs;
        this.callbacks = List.copyOf(b.callbacks);
        this.verbose = b.verbose;
        this.seed = b.seed;
        this.resumeFrom = b.resumeFrom;
        this.accumulateGradBatches = b.accumulateGradBatches;
        this.config = Collections.unmodifiableMap(new LinkedHashMap<>(b.config));
        this.overwriteCheckpoints = b.overwriteCheckpoints;
    }

    /**
     * Returns the settings recorded in checkpoints beyond those the fit knows itself.
     *
     * @return the settings, by name
     */
    public Map<String, String> config() {
        return config;
    }

    /**
     * Tells whether checkpoints may replace those of another run.
     *
     * @return the setting
     */
    public boolean overwriteCheckpoints() {
        return overwriteCheckpoints;
    }

    /**
     * Returns the number of batches whose gradients are summed before each optimizer step.
     *
     * @return k, 1 when every batch steps
     */
    public int accumulateGradBatches() {
        return accumulateGradBatches;
    }

    /**
     * Returns the checkpoint folder this fit resumes from.
     *
     * @return the folder, or null for a fresh start
     */
    public Path resumeFrom() {
        return resumeFrom;
    }

    /**
     * Starts options for fitting on {@code train}.
     *
     * @param train the training data
     * @return a builder
     */
    public static Builder builder(DataLoader train) {
        return new Builder(train);
    }

    /**
     * Returns the training data.
     *
     * @return the training loader
     */
    public DataLoader train() {
        return train;
    }

    /**
     * Returns the validation data.
     *
     * @return the validation loader, or null
     */
    public DataLoader valid() {
        return valid;
    }

    /**
     * Returns the fraction of the training data held out for validation.
     *
     * @return the fraction, 0 when none
     */
    public double validFraction() {
        return validFraction;
    }

    /**
     * Returns the number of epochs (the maximum when a callback stops early).
     *
     * @return the epochs
     */
    public int epochs() {
        return epochs;
    }

    /**
     * Returns the number of epochs before which stop requests are ignored.
     *
     * @return the minimum epochs
     */
    public int minEpochs() {
        return minEpochs;
    }

    /**
     * Returns the user's callbacks.
     *
     * @return the callbacks
     */
    public List<Callback> callbacks() {
        return callbacks;
    }

    /**
     * Tells whether progress is printed.
     *
     * @return the verbosity
     */
    public boolean verbose() {
        return verbose;
    }

    /**
     * Returns the seed of weight initialization and of the validation split.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /** Settings of a {@link FitOptions}. */
    public static final class Builder {
        private final DataLoader train;
        private DataLoader valid;
        private double validFraction;
        private int epochs = 10;
        private int minEpochs;
        private final List<Callback> callbacks = new ArrayList<>();
        private boolean verbose = true;
        private long seed = 1;
        private Path resumeFrom;
        private int accumulateGradBatches = 1;
        private final Map<String, String> config = new LinkedHashMap<>();
        private boolean overwriteCheckpoints;

        private Builder(DataLoader train) {
            if (train == null) {
                throw new LuzjException("training data is null; pass a DataLoader to fit");
            }
            this.train = train;
        }

        /**
         * Sets the validation data.
         *
         * @param valid the validation loader, or null for none
         * @return this builder
         */
        public Builder valid(DataLoader valid) {
            this.valid = valid;
            return this;
        }

        /**
         * Holds out a random fraction of the training data for validation (luz's
         * {@code valid_data = 0.2}).
         *
         * @param fraction in [0, 1); 0 holds nothing out
         * @return this builder
         */
        public Builder validFraction(double fraction) {
            Checks.check(
                    fraction >= 0 && fraction < 1,
                    "valid fraction must be in [0, 1), got %s",
                    fraction);
            this.validFraction = fraction;
            return this;
        }

        /**
         * Sets the number of epochs (10 by default).
         *
         * @param epochs {@code >= 1}
         * @return this builder
         */
        public Builder epochs(int epochs) {
            Checks.check(epochs >= 1, "epochs must be >= 1, got %d", epochs);
            this.epochs = epochs;
            return this;
        }

        /**
         * Sets the number of epochs before which callbacks cannot stop training.
         *
         * @param minEpochs {@code >= 0}
         * @return this builder
         */
        public Builder minEpochs(int minEpochs) {
            Checks.check(minEpochs >= 0, "min epochs must be >= 0, got %d", minEpochs);
            this.minEpochs = minEpochs;
            return this;
        }

        /**
         * Adds callbacks.
         *
         * @param more the callbacks
         * @return this builder
         */
        public Builder callbacks(Callback... more) {
            callbacks.addAll(Checks.noNulls("callback", more));
            return this;
        }

        /**
         * Adds callbacks.
         *
         * @param more the callbacks
         * @return this builder
         */
        public Builder callbacks(List<? extends Callback> more) {
            return callbacks(Checks.notNull("callbacks", more, "pass a list of callbacks")
                    .toArray(new Callback[0]));
        }

        /**
         * Prints progress (on by default).
         *
         * @param verbose false for quiet
         * @return this builder
         */
        public Builder verbose(boolean verbose) {
            this.verbose = verbose;
            return this;
        }

        /**
         * Sets the seed of weight initialization and of the validation split (1 by default).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Resumes from a checkpoint (luz's {@code resume_from_checkpoint}): weights, optimizer,
         * records, callback states and position are restored, and {@link #epochs} then counts
         * from the start of the original run, so a 3-epoch run interrupted after epoch 1 and
         * resumed with {@code epochs(3)} trains epochs 2 and 3.
         *
         * @param checkpoint the checkpoint folder, or null for a fresh start
         * @return this builder
         */
        public Builder resumeFrom(Path checkpoint) {
            this.resumeFrom = checkpoint;
            return this;
        }

        /**
         * Accumulates gradients over {@code k} batches before each optimizer step (Lightning's
         * {@code accumulate_grad_batches}): each batch's loss is scaled by {@code 1/k} before
         * its backward pass and the gradients add up; the optimizer steps every {@code k}
         * batches and on the last batch of an epoch. Metrics are still averaged per sample.
         * Schedulers, {@link io.github.luzj.callback.Context#globalStep()} and
         * {@link io.github.luzj.callback.Context#stepsPerEpoch()} count optimizer steps, not
         * batches; callbacks at the before-step and after-step phases (gradient clipping) run
         * only on the batches that step, so they see the accumulated gradient.
         *
         * @param k {@code >= 1}, 1 by default
         * @return this builder
         */
        public Builder accumulateGradBatches(int k) {
            Checks.check(
                    k >= 1,
                    "accumulateGradBatches must be >= 1, got %d; 1 steps after every batch",
                    k);
            this.accumulateGradBatches = k;
            return this;
        }

        /**
         * Records a setting in every checkpoint of this fit; resuming with another value is
         * refused, naming it and both values. The fit records the seed, the data sizes and the
         * optimizer itself; add what it cannot know, such as a model option.
         *
         * @param name the setting's name, such as {@code "--lr"}
         * @param value its value
         * @return this builder
         */
        public Builder config(String name, Object value) {
            Checks.check(name != null && !name.isBlank(), "a setting's name is empty");
            config.put(name, String.valueOf(value));
            return this;
        }

        /**
         * Lets this fit's checkpoints replace checkpoints of another run (by default a folder
         * holding one is refused, so that nothing saved is lost unasked). Folders luzj did not
         * write are never replaced.
         *
         * @param overwrite true to replace
         * @return this builder
         */
        public Builder overwriteCheckpoints(boolean overwrite) {
            this.overwriteCheckpoints = overwrite;
            return this;
        }

        /**
         * Builds the options.
         *
         * @return the options
         */
        public FitOptions build() {
            Checks.check(
                    !(valid != null && validFraction > 0),
                    "give validation data or a valid fraction, not both");
            Checks.check(
                    minEpochs <= epochs,
                    "min epochs (%d) must not exceed epochs (%d)",
                    minEpochs,
                    epochs);
            return new FitOptions(this);
        }
    }
}
