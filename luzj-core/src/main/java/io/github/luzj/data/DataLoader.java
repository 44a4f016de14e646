package io.github.luzj.data;

import io.github.luzj.LuzjException;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;

/**
 * Batches a {@link SampleDataset}: batch size, seeded shuffle, drop-last, and a per-sample
 * {@link Transform}. {@link #size()} is the number of batches per epoch (luz's
 * {@code length(train_dl)}).
 *
 * <p>An epoch's order and every random transform depend only on the seed, the epoch and the
 * sample's index, so a resumed run sees the same data as an uninterrupted one.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.builder(mnistTrain).batchSize(128).shuffle(true).seed(1)
 *         .transform(Transforms.randomAffine(45, 0.1, 0.1)).build();
 * }</pre>
 */
public final class DataLoader {

    private final SampleDataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final Transform transform;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.transform = b.transform;
    }

    /**
     * Starts a loader over {@code dataset}.
     *
     * @param dataset the examples
     * @return a builder
     */
    public static Builder builder(SampleDataset dataset) {
        return new Builder(dataset);
    }

    /**
     * Returns the number of batches per epoch.
     *
     * @return the batch count
     */
    public int size() {
        int n = dataset.size();
        return dropLast ? n / batchSize : (n + batchSize - 1) / batchSize;
    }

    /**
     * Returns the examples in one epoch (after drop-last).
     *
     * @return the sample count
     */
    public int sampleCount() {
        return dropLast ? size() * batchSize : dataset.size();
    }

    /**
     * Returns the dataset.
     *
     * @return the dataset
     */
    public SampleDataset dataset() {
        return dataset;
    }

    /**
     * Returns the batch size.
     *
     * @return the batch size
     */
    public int batchSize() {
        return batchSize;
    }

    /**
     * Returns the seed.
     *
     * @return the seed
     */
    public long seed() {
        return seed;
    }

    /**
     * Returns the shape of one full batch of features, after the transform: what the model will
     * be initialized for.
     *
     * @return {@code [batchSize, ...sample shape]}
     */
    public long[] featureShape() {
        FloatTensor x = dataset.get(0).x();
        if (transform != null) {
            x = transform.apply(x, new SplittableRandom(seed));
        }
        return prepend(batchSize, x.shape());
    }

    /**
     * Returns a builder holding this loader's settings.
     *
     * @return a builder
     */
    public Builder toBuilder() {
        return new Builder(dataset)
                .batchSize(batchSize)
                .shuffle(shuffle)
                .dropLast(dropLast)
                .seed(seed)
                .transform(transform);
    }

    /**
     * Returns the sample order of {@code epoch}.
     *
     * @param epoch the epoch, from 1
     * @return the indices
     */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        if (shuffle) {
            SplittableRandom rng = new SplittableRandom(mix(seed, epoch, -1));
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = idx[i];
                idx[i] = idx[j];
                idx[j] = t;
            }
        }
        return idx;
    }

    /**
     * Iterates over the batches of {@code epoch}.
     *
     * @param epoch the epoch, from 1
     * @return the batches
     */
    public Iterator<HostBatch> iterator(int epoch) {
        int[] order = order(epoch);
        int batches = size();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < batches;
            }

            @Override
            public HostBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch(order, epoch, next++);
            }
        };
    }

    /**
     * Assembles batch {@code b} of an epoch's {@code order}.
     *
     * @param order the epoch's sample order
     * @param epoch the epoch
     * @param b the batch index
     * @return the batch
     */
    HostBatch batch(int[] order, int epoch, int b) {
        int from = b * batchSize;
        int to = Math.min(order.length, from + batchSize);
        int n = to - from;
        float[] xs = null;
        float[] ys = null;
        long[] xShape = null;
        long[] yShape = null;
        for (int i = 0; i < n; i++) {
            int index = order[from + i];
            Sample s = dataset.get(index);
            FloatTensor x = s.x();
            if (transform != null) {
                x = transform.apply(x, new SplittableRandom(mix(seed, epoch, index)));
            }
            if (xs == null) {
                xShape = x.shape();
                yShape = s.y().shape();
                xs = new float[n * x.size()];
                ys = new float[n * s.y().size()];
            }
            System.arraycopy(x.data(), 0, xs, i * x.size(), x.size());
            System.arraycopy(s.y().data(), 0, ys, i * s.y().size(), s.y().size());
        }
        return new HostBatch(
                new FloatTensor(xs, prepend(n, xShape)), new FloatTensor(ys, prepend(n, yShape)));
    }

    private static long[] prepend(int n, long[] shape) {
        long[] out = new long[shape.length + 1];
        out[0] = n;
        System.arraycopy(shape, 0, out, 1, shape.length);
        return out;
    }

    /** A 64-bit mix (SplitMix64's finalizer) of seed, epoch and index into one seed. */
    static long mix(long seed, long epoch, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + epoch * 0xBF58476D1CE4E5B9L + index;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** Settings of a {@link DataLoader}. */
    public static final class Builder {
        private SampleDataset dataset;
        private int batchSize = 32;
        private boolean shuffle;
        private boolean dropLast;
        private long seed = 1;
        private Transform transform;

        private Builder(SampleDataset dataset) {
            if (dataset == null) {
                throw new LuzjException("dataset is null; pass the examples to load");
            }
            this.dataset = dataset;
        }

        /**
         * Replaces the dataset, keeping the other settings.
         *
         * @param dataset the examples
         * @return this builder
         */
        public Builder dataset(SampleDataset dataset) {
            if (dataset == null) {
                throw new LuzjException("dataset is null; pass the examples to load");
            }
            this.dataset = dataset;
            return this;
        }

        /**
         * Sets the batch size (32 by default).
         *
         * @param batchSize {@code >= 1}
         * @return this builder
         */
        public Builder batchSize(int batchSize) {
            LuzjException.check(batchSize >= 1, "batch size must be >= 1, got %d", batchSize);
            this.batchSize = batchSize;
            return this;
        }

        /**
         * Shuffles every epoch (off by default).
         *
         * @param shuffle true to shuffle
         * @return this builder
         */
        public Builder shuffle(boolean shuffle) {
            this.shuffle = shuffle;
            return this;
        }

        /**
         * Drops the last, incomplete batch (off by default).
         *
         * @param dropLast true to drop it
         * @return this builder
         */
        public Builder dropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /**
         * Sets the seed of the shuffle and of random transforms (1 by default).
         *
         * @param seed the seed
         * @return this builder
         */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Sets the per-sample transform of the features (none by default).
         *
         * @param transform the transform, or null for none
         * @return this builder
         */
        public Builder transform(Transform transform) {
            this.transform = transform;
            return this;
        }

        /**
         * Builds the loader.
         *
         * @return the loader
         */
        public DataLoader build() {
            LuzjException.check(
                    dataset.size() > 0, "the dataset is empty; a loader needs at least one example");
            LuzjException.check(
                    !dropLast || dataset.size() >= batchSize,
                    "drop-last with batch size %d leaves no batch of %d examples; lower the batch"
                            + " size or turn drop-last off",
                    batchSize,
                    dataset.size());
            return new DataLoader(this);
        }
    }
}
