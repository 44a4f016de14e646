package io.github.luzj.djl;

import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.dataset.Sampler;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.lang.reflect.Field;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

/**
 * The sampling a DJL dataset was built with ({@code setSampling(batchSize, random, dropLast)}),
 * as luzj loader settings.
 *
 * @param batchSize the sampler's batch size
 * @param shuffle whether an epoch visits the records out of order (DJL's {@code RandomSampler})
 * @param dropLast whether the last, incomplete batch is left out
 */
public record DjlSampling(int batchSize, boolean shuffle, boolean dropLast) {

    /**
     * Reads the sampling settings of {@code dataset}.
     *
     * <p>DJL 0.36 keeps a dataset's sampler in a protected field with no getter, and a
     * {@code BatchSampler}'s sub-sampler and drop-last flag in private fields. This reads the one
     * protected field, then learns the rest through the sampler's public API: it draws one epoch
     * of index batches (indices only, no data is loaded) and looks at their sizes and order. A
     * {@code RandomSampler} never yields the identity order (it is Sattolo's shuffle), so an
     * epoch in order means sequential sampling. Drawing a random epoch advances DJL's global
     * {@code RandomUtils} generator once.
     *
     * @param dataset the DJL dataset
     * @return its settings
     * @throws LuzjException if the sampler cannot be read or yields batches that luzj's loader
     *     cannot reproduce (repeated or missing records, uneven batches)
     */
    public static DjlSampling of(RandomAccessDataset dataset) {
        if (dataset == null) {
            throw new LuzjException("the DJL dataset is null; pass a RandomAccessDataset");
        }
        Sampler sampler = samplerOf(dataset);
        String name = dataset.getClass().getSimpleName();
        int batchSize = sampler.getBatchSize();
        Checks.check(
                batchSize >= 1,
                "the sampler of %s has batch size %d; set one >= 1 with setSampling",
                name,
                batchSize);
        long n = dataset.size();
        BitSet seen = new BitSet();
        long total = 0;
        long expect = 0;
        boolean inOrder = true;
        boolean sawShortBatch = false;
        String yourself = "Build the loader yourself: DataLoader.builder(DjlDatasets.samples(dataset))";
        long empty = 0;
        try {
            Iterator<List<Long>> batches = sampler.sample(dataset);
            while (batches.hasNext()) {
                List<Long> batch = batches.next();
                Checks.check(batch != null, "the sampler of %s yields a null batch; %s", name, yourself);
                if (batch.isEmpty()) {
                    // a sampler that yields only empty batches would never end this loop
                    Checks.check(++empty <= n, "the sampler of %s yields more than %d empty batches; %s",
                            name, n, yourself);
                    continue;
                }
                Checks.check(
                        batch.size() <= batchSize,
                        "the sampler of %s yields a batch of %d, more than its batch size %d; %s",
                        name, batch.size(), batchSize, yourself);
                Checks.check(
                        !sawShortBatch,
                        "the sampler of %s yields a batch of %d after a batch smaller than %d; luzj's"
                                + " loader only makes the last batch smaller. %s",
                        name,
                        batch.size(),
                        batchSize,
                        yourself);
                sawShortBatch = batch.size() < batchSize;
                for (long i : batch) {
                    Checks.check(
                            i >= 0 && i < n && !seen.get((int) i),
                            "the sampler of %s yields index %d twice or outside [0, %d); luzj's"
                                    + " loader visits every record once. %s",
                            name,
                            i,
                            n,
                            yourself);
                    seen.set((int) i);
                    inOrder &= i == expect++;
                    total++;
                }
            }
        } catch (LuzjException e) {
            throw e;
        } catch (RuntimeException e) {
            // a sampler of the user's own that throws, or yields null indices
            throw new LuzjException("the sampler of " + name + " failed: " + e + "; " + yourself, e);
        }
        boolean dropLast = total < n;
        Checks.check(
                !dropLast || total == n / batchSize * batchSize,
                "the sampler of %s visits %d of %d records, which is not what dropping the last"
                        + " batch of %d would leave; build the loader yourself:"
                        + " DataLoader.builder(DjlDatasets.samples(dataset))",
                name,
                total,
                n,
                batchSize);
        return new DjlSampling(batchSize, !inOrder, dropLast);
    }

    private static Sampler samplerOf(RandomAccessDataset dataset) {
        Object sampler;
        try {
            Field field = RandomAccessDataset.class.getDeclaredField("sampler");
            field.setAccessible(true);
            sampler = field.get(dataset);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new LuzjException(
                    "cannot read the sampler of the DJL dataset "
                            + dataset.getClass().getSimpleName()
                            + " ("
                            + e
                            + "); give the loader settings yourself:"
                            + " DataLoader.builder(DjlDatasets.samples(dataset)).batchSize(32)",
                    e);
        }
        if (sampler == null) {
            throw new LuzjException(
                    "the DJL dataset "
                            + dataset.getClass().getSimpleName()
                            + " has no sampler; call setSampling(batchSize, random) on its builder,"
                            + " or give the loader settings yourself:"
                            + " DataLoader.builder(DjlDatasets.samples(dataset)).batchSize(32)");
        }
        return (Sampler) sampler;
    }
}
