package io.github.luzj.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Record;
import ai.djl.util.Progress;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Transform;
import java.nio.FloatBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * A luzj {@link SampleDataset} as a DJL {@link RandomAccessDataset}, so that DJL's own training
 * ({@code EasyTrain.fit(trainer, epochs, train, valid)}, {@code trainer.iterateDataset}) can use
 * luzj data and transforms.
 *
 * <pre>{@code
 * LuzjDataset train = LuzjDataset.builder(samples).optTransform(augment)
 *         .setSampling(32, true).build();
 * EasyTrain.fit(trainer, 1, train, null);
 * }</pre>
 *
 * <p>A record's data is the sample's features (after the transform) as float32, its label the
 * sample's label as float32. A random transform gets a generator derived from the seed, the
 * record's index and how many times that record was read before, as luzj's loader derives one
 * from the seed, the epoch and the index; so the n-th read of a record sees the same randomness
 * whichever thread reads it.
 */
public final class LuzjDataset extends RandomAccessDataset {

    private final SampleDataset samples;
    private final Transform transform;
    private final long seed;
    private final AtomicIntegerArray reads;

    private LuzjDataset(Builder builder) {
        super(builder);
        this.samples = builder.samples;
        this.transform = builder.transform;
        this.seed = builder.seed;
        this.reads = transform == null ? null : new AtomicIntegerArray(samples.size());
    }

    /**
     * Starts a DJL dataset over luzj samples. As for any DJL dataset, call
     * {@code setSampling(batchSize, random)} on the builder.
     *
     * @param samples the luzj dataset
     * @return a builder
     */
    public static Builder builder(SampleDataset samples) {
        return new Builder(samples);
    }

    /**
     * Returns record {@code index}: the transformed features and the label, in {@code manager}.
     *
     * @param manager the manager of the arrays
     * @param index the record
     * @return the record
     */
    @Override
    public Record get(NDManager manager, long index) {
        Checks.check(
                index >= 0 && index < samples.size(),
                "index %d is outside the luzj dataset of %d samples",
                index,
                samples.size());
        int i = (int) index;
        Sample s = samples.get(i);
        FloatTensor x = s.x();
        if (transform != null) {
            x = transform.apply(x, new SplittableRandom(mix(seed, reads.getAndIncrement(i), i)));
        }
        return new Record(
                new NDList(toArray(manager, x)),
                s.labeled() ? new NDList(toArray(manager, s.y())) : new NDList());
    }

    /**
     * Returns the number of samples.
     *
     * @return the size of the luzj dataset
     */
    @Override
    protected long availableSize() {
        return samples.size();
    }

    /**
     * Does nothing: luzj samples need no download or preparation.
     *
     * @param progress ignored
     */
    @Override
    public void prepare(Progress progress) {}

    private static NDArray toArray(NDManager manager, FloatTensor t) {
        return manager.create(FloatBuffer.wrap(t.data()), new Shape(t.shape()));
    }

    /** SplitMix64's finalizer over seed, read count and index, as luzj's loader mixes seeds. */
    private static long mix(long seed, long read, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + read * 0xBF58476D1CE4E5B9L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Settings of a {@link LuzjDataset}, on top of DJL's sampling, batchifier and pipelines. */
    public static final class Builder extends RandomAccessDataset.BaseBuilder<Builder> {

        private final SampleDataset samples;
        private Transform transform;
        private long seed = 1;

        private Builder(SampleDataset samples) {
            if (samples == null) {
                throw new LuzjException("the luzj dataset is null; pass the samples to wrap");
            }
            Checks.check(
                    samples.size() > 0, "the luzj dataset is empty; DJL needs at least one record");
            this.samples = samples;
        }

        /**
         * Sets the luzj transform of the features (none by default).
         *
         * @param transform the transform, or null for none
         * @return this builder
         */
        public Builder optTransform(Transform transform) {
            this.transform = transform;
            return this;
        }

        /**
         * Sets the seed of random transforms (1 by default).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Returns this builder.
         *
         * @return this builder
         */
        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Builds the dataset.
         *
         * @return the DJL dataset
         */
        public LuzjDataset build() {
            if (sampler == null) {
                throw new LuzjException(
                        "no sampling set for the LuzjDataset; call setSampling(batchSize, random)"
                                + " on its builder, as for any DJL dataset");
            }
            return new LuzjDataset(this);
        }
    }
}
