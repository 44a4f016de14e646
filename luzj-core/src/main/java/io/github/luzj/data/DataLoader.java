package io.github.luzj.data;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.util.Arrays;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.SplittableRandom;
import java.util.function.Supplier;

/**
 * Batches a {@link SampleDataset}: batch size, seeded shuffle, drop-last, and a per-sample
 * {@link Transform}. {@link #size()} is the number of batches per epoch (luz's
 * {@code length(train_dl)}).
 *
 * <p>An epoch's order and every random transform depend only on the seed, the epoch and the
 * sample's index, so a resumed run sees the same data as an uninterrupted one, and the batches
 * are the same whatever the number of {@linkplain Builder#workers(int) worker threads} that
 * prepare them ahead of the training loop.
 *
 * <pre>{@code
 * DataLoader train = DataLoader.builder(Mnist.load(Split.TRAIN)).batchSize(128).shuffle(true)
 *         .seed(1).transform(RandomAffine.of(45, 0.1, 0.1)).workers(2).build();
 * try (BatchIterator it = train.iterator(1)) {
 *     while (it.hasNext()) {
 *         HostBatch batch = it.next();
 *     }
 * }
 * }</pre>
 */
public final class DataLoader {

    private final SampleDataset dataset;
    private final int batchSize;
    private final boolean shuffle;
    private final boolean dropLast;
    private final long seed;
    private final Transform transform;
    private final int workers;
    private final int prefetch;

    private DataLoader(Builder b) {
        this.dataset = b.dataset;
        this.batchSize = b.batchSize;
        this.shuffle = b.shuffle;
        this.dropLast = b.dropLast;
        this.seed = b.seed;
        this.transform = b.transform;
        this.workers = b.workers;
        this.prefetch = b.prefetch;
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
        // in long: a batch size of Integer.MAX_VALUE ("everything at once") is one batch
        return dropLast ? n / batchSize : (int) ((n + (long) batchSize - 1) / batchSize);
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
     * Returns the number of worker threads that prepare batches (0: the calling thread does).
     *
     * @return the worker count
     */
    public int workers() {
        return workers;
    }

    /**
     * Returns how many batches the workers prepare ahead of the caller.
     *
     * @return the prefetch depth, {@code >= 1}
     */
    public int prefetch() {
        return prefetch > 0 ? prefetch : Math.max(1, 2 * workers);
    }

    /**
     * Returns the shape of the largest batch of features the loader makes, after the transform:
     * what the model will be initialized for.
     *
     * @return {@code [min(batchSize, dataset size), ...sample shape]}
     */
    public long[] featureShape() {
        // not batchSize itself: DJL's lambda blocks run a dummy batch of that size to find their
        // output shape, and "all at once" (Integer.MAX_VALUE) asked for 64 GB
        return prepend(Math.min(batchSize, dataset.size()), load(0, seed, FIRST).x().shape());
    }

    /**
     * Returns this loader reading the examples in the dataset's order: without shuffling, with the
     * same batch size, drop-last, transform, workers and seed. Validation, {@code evaluate} and
     * {@code predict} read their loaders this way, so that predictions line up with the rows
     * whichever loader they are given. Drop-last stays as set: a model that takes full batches
     * only needs it there too.
     *
     * @return this loader when it does not shuffle, else such a copy
     */
    public DataLoader inOrder() {
        return shuffle ? toBuilder().shuffle(false).build() : this;
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
                .transform(transform)
                .workers(workers)
                .prefetch(prefetch);
    }

    /**
     * Returns the sample order of {@code epoch}.
     *
     * @param epoch the epoch, from 1
     * @return the indices
     */
    public int[] order(int epoch) {
        int n = dataset.size();
        if (shuffle) {
            return Subset.shuffledIndices(n, mix(seed, epoch, -1));
        }
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) {
            idx[i] = i;
        }
        return idx;
    }

    /**
     * Iterates over the batches of {@code epoch}. With workers, close the iterator (or run it to
     * the end) to stop them at once; an abandoned one stops by itself after the few batches it
     * has queued.
     *
     * @param epoch the epoch, from 1
     * @return the batches
     * @throws LuzjException from {@code next()} when reading or transforming a sample fails,
     *     naming the sample's index
     */
    public BatchIterator iterator(int epoch) {
        int[] order = order(epoch);
        int batches = size();
        if (workers > 0) {
            return new PrefetchIterator(this, order, epoch, batches, workers, prefetch());
        }
        return new BatchIterator() {
            private int next;
            private boolean closed;

            @Override
            public boolean hasNext() {
                return !closed && next < batches;
            }

            @Override
            public HostBatch next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return batch(order, epoch, next++);
            }

            @Override
            public void close() {
                closed = true;
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
        // formatted only when a sample fails: formatting it for every sample took a third of the
        // loader's CPU time a batch (0.19 against 0.13 ms on MNIST), on the training's cores
        Supplier<String> where = () -> String.format(Locale.ROOT, "batch %d of epoch %d", b + 1, epoch);
        for (int i = 0; i < n; i++) {
            int index = order[from + i];
            Loaded loaded = load(index, mix(seed, epoch, index), where);
            Sample s = loaded.sample();
            FloatTensor x = loaded.x();
            if (xs == null) {
                xShape = x.shape();
                xs = new float[batchFloats(n, x.size(), "feature")];
                if (s.labeled()) {
                    yShape = s.y().shape();
                    ys = new float[batchFloats(n, s.y().size(), "label")];
                }
            } else {
                checkSameShape(index, "features", xShape, x.shape());
                checkSameLabelling(index, ys != null, s);
                if (s.labeled()) {
                    checkSameShape(index, "label", yShape, s.y().shape());
                }
            }
            System.arraycopy(x.data(), 0, xs, i * x.size(), x.size());
            if (ys != null) {
                System.arraycopy(s.y().data(), 0, ys, i * s.y().size(), s.y().size());
            }
        }
        return new HostBatch(
                new FloatTensor(xs, prepend(n, xShape)),
                ys == null ? null : new FloatTensor(ys, prepend(n, yShape)));
    }

    /**
     * Tells whether the examples carry labels, as the first one does (a batch refuses a mix).
     *
     * @return true when the first example has a label
     */
    public boolean labeled() {
        return load(0, seed, FIRST).sample().labeled();
    }

    /** The first sample, read before any batch: it sets the model's input shape. */
    private static final Supplier<String> FIRST = () -> "the first, read to set up the model";

    /** A sample and its features after the transform. */
    private record Loaded(Sample sample, FloatTensor x) {}

    /**
     * Reads sample {@code index} and transforms its features; whatever the dataset or the
     * transform throws, or a null they return, is one error naming the sample and {@code where}.
     */
    private Loaded load(int index, long transformSeed, Supplier<String> where) {
        try {
            Sample s = dataset.get(index);
            if (s == null) {
                throw new LuzjException("the dataset's get(" + index + ") returned null; return a Sample");
            }
            FloatTensor x = s.x();
            if (transform != null) {
                x = transform.apply(x, new SplittableRandom(transformSeed));
                if (x == null) {
                    throw new LuzjException("the transform returned null; return the features it made");
                }
            }
            return new Loaded(s, x);
        } catch (RuntimeException e) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "loading sample %d (%s) failed: %s",
                    index, where.get(), e.getMessage() != null ? e.getMessage() : e), e);
        }
    }

    /** The floats of a batch of {@code n} samples of {@code size} each, if one array holds them. */
    private static int batchFloats(int n, int size, String what) {
        long floats = (long) n * size;
        if (floats > Integer.MAX_VALUE - 8) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "a batch of %d samples of %,d %s values each is %,d floats, more than one Java"
                            + " array holds (2,147,483,639); lower the batch size",
                    n, size, what, floats));
        }
        return (int) floats;
    }

    private static void checkSameLabelling(int index, boolean firstLabeled, Sample s) {
        if (firstLabeled != s.labeled()) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "sample %d has %s label but the batch's first sample has %s; label every"
                            + " sample (to fit or evaluate) or none (to predict)",
                    index, s.labeled() ? "a" : "no", firstLabeled ? "one" : "none"));
        }
    }

    private static void checkSameShape(int index, String what, long[] first, long[] shape) {
        if (!Arrays.equals(first, shape)) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "sample %d has %s of shape %s but the batch's first sample has %s; every"
                            + " sample must have the same shape after the transform (resize or"
                            + " pad them, or use batch size 1)",
                    index, what, Arrays.toString(shape), Arrays.toString(first)));
        }
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
        private int workers = Math.min(Runtime.getRuntime().availableProcessors(), 4);
        private int prefetch;

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
            Checks.check(batchSize >= 1, "batch size must be >= 1, got %d", batchSize);
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
         * Sets the number of worker threads that read, transform and batch samples ahead of the
         * caller; {@code 0} does it all on the calling thread. By default the number of cores,
         * at most 4. The batches are identical whatever the count.
         *
         * @param workers {@code >= 0}
         * @return this builder
         */
        public Builder workers(int workers) {
            Checks.check(
                    workers >= 0, "workers must be >= 0 (0 = load on the calling thread), got %d",
                    workers);
            this.workers = workers;
            return this;
        }

        /**
         * Sets how many batches the workers may prepare ahead of the caller (by default twice
         * the worker count). Fewer than the worker count leaves some workers idle.
         *
         * @param prefetch {@code >= 1}, or {@code 0} for the default
         * @return this builder
         */
        public Builder prefetch(int prefetch) {
            Checks.check(
                    prefetch >= 0, "prefetch must be >= 1 batch (0 = twice the workers), got %d",
                    prefetch);
            this.prefetch = prefetch;
            return this;
        }

        /**
         * Builds the loader.
         *
         * @return the loader
         */
        public DataLoader build() {
            Checks.check(
                    dataset.size() > 0, "the dataset is empty; a loader needs at least one example");
            Checks.check(
                    !dropLast || dataset.size() >= batchSize,
                    "drop-last with batch size %d leaves no batch of %d examples; lower the batch"
                            + " size or turn drop-last off",
                    batchSize,
                    dataset.size());
            return new DataLoader(this);
        }
    }
}
