package io.github.luzj.metric;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.luzj.base.LuzjException;
import java.util.Locale;

/**
 * A metric: an immutable description ({@code name}, how to accumulate) whose {@link Accumulator}s
 * hold the running sums of one set (train or valid) of one fit.
 *
 * <p>Accumulators update on the device, with in-place NDArray arithmetic and no device-to-host
 * copy; the loop reads {@link Accumulator#compute()} once per epoch.
 */
public interface Metric {

    /**
     * Returns the short name used in records and CSV columns, such as {@code "acc"}.
     *
     * @return the abbreviation
     */
    String abbrev();

    /**
     * Returns the name shown in progress lines, such as {@code "Acc"}.
     *
     * @return the display name
     */
    default String displayName() {
        return abbrev().substring(0, 1).toUpperCase(Locale.ROOT) + abbrev().substring(1);
    }

    /**
     * Creates empty running sums whose arrays live in {@code manager}.
     *
     * @param manager the manager that owns the sums (closed with the fit)
     * @return a new accumulator
     */
    Accumulator newAccumulator(NDManager manager);

    /** The running sums of one set for one epoch. */
    interface Accumulator {

        /**
         * Adds a batch, on the device, without copying to the host.
         *
         * @param predictions the model's outputs
         * @param labels the labels
         */
        void update(NDList predictions, NDList labels);

        /**
         * Returns the value over all batches since the last {@link #reset()}: the epoch's one
         * host sync.
         *
         * @return the value, NaN when no batch was added
         */
        double compute();

        /** Starts a new epoch. */
        void reset();

        /**
         * Returns the running sums, for a checkpoint written in the middle of an epoch, so that a
         * resumed fit reports the same epoch value as an uninterrupted one.
         *
         * @return the sums, or null when this accumulator cannot be checkpointed (the resumed
         *     epoch then counts only the batches after the resume)
         */
        default double[] state() {
            return null;
        }

        /**
         * Replaces the running sums with what {@link #state()} returned.
         *
         * @param state the saved sums
         * @throws LuzjException when the sums do not fit this accumulator
         */
        default void restore(double[] state) {
            throw new LuzjException(
                    getClass().getSimpleName() + " cannot restore running sums; resume at an"
                            + " epoch boundary instead");
        }
    }
}
