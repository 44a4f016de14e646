package io.github.luzj.djl;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.translate.TranslateException;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * DJL datasets as luzj data: any {@link RandomAccessDataset} ({@code ArrayDataset},
 * {@code ImageFolder}, {@code CsvDataset}, {@code Mnist}, ...) becomes a {@link SampleDataset} or
 * a {@link DataLoader} that keeps the dataset's {@code Pipeline}s and its sampling settings.
 *
 * <pre>{@code
 * ArrayDataset djl = new ArrayDataset.Builder().setData(x).optLabels(y)
 *         .setSampling(16, false).build();
 * DataLoader train = DjlDatasets.loader(djl);                     // batch 16, in order
 * DataLoader bigger = DjlDatasets.loaderBuilder(djl).batchSize(64).build();
 * }</pre>
 *
 * <p>Each record must hold one data array and one label array of numbers; a luzj sample is one
 * features tensor and one label tensor.
 */
public final class DjlDatasets {

    private DjlDatasets() {}

    /**
     * Reads {@code dataset} one record at a time as luzj samples, applying its {@code Pipeline}
     * and target {@code Pipeline}. Calls {@code prepare()} on it first.
     *
     * @param dataset the DJL dataset
     * @return a thread-safe view of its records
     */
    public static SampleDataset samples(RandomAccessDataset dataset) {
        return new DjlSampleDataset(dataset);
    }

    /**
     * Starts a luzj loader over {@code dataset} holding the dataset's own batch size, shuffle
     * and drop-last ({@link DjlSampling#of}); change any of them on the returned builder. The
     * shuffle itself is luzj's seeded one, so a run is repeatable.
     *
     * @param dataset the DJL dataset
     * @return a loader builder
     */
    public static DataLoader.Builder loaderBuilder(RandomAccessDataset dataset) {
        DjlSampling sampling = DjlSampling.of(dataset);
        return DataLoader.builder(samples(dataset))
                .batchSize(sampling.batchSize())
                .shuffle(sampling.shuffle())
                .dropLast(sampling.dropLast());
    }

    /**
     * A luzj loader over {@code dataset} with the dataset's own sampling settings.
     *
     * @param dataset the DJL dataset
     * @return the loader
     */
    public static DataLoader loader(RandomAccessDataset dataset) {
        return loaderBuilder(dataset).build();
    }

    /**
     * Reads every batch of a DJL dataset that can only be iterated (a plain {@link Dataset},
     * such as a streaming one) into host memory once, as luzj samples. Each batch's data and
     * labels must be one array each whose first axis is the batch. Only for data that fits in
     * memory; a {@link RandomAccessDataset} is better read with {@link #samples}.
     *
     * @param dataset the DJL dataset
     * @return an immutable in-memory copy
     */
    public static SampleDataset inMemory(Dataset dataset) {
        if (dataset == null) {
            throw new LuzjException("the DJL dataset is null; pass a Dataset");
        }
        List<Sample> samples = new ArrayList<>();
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            for (Batch batch : dataset.getData(manager)) {
                try (batch) {
                    addRows(
                            samples,
                            HostArrays.data(batch.getData(), false, dataset),
                            HostArrays.labels(batch.getLabels(), false, dataset),
                            dataset);
                }
            }
        } catch (LuzjException e) {
            throw e;
        } catch (IOException | TranslateException | RuntimeException e) {
            // DJL's iterator wraps a record it cannot read in IllegalStateException("Data loading
            // failed"); arrays of a closed manager fail the same way
            throw new LuzjException(
                    "cannot read the DJL dataset "
                            + dataset.getClass().getSimpleName()
                            + ": "
                            + (e.getCause() != null && e instanceof IllegalStateException
                                    ? e.getMessage() + " (" + e.getCause() + ")" : String.valueOf(e.getMessage()))
                            + "; check that its files are present and its arrays' manager is open",
                    e);
        }
        Checks.check(
                !samples.isEmpty(),
                "the DJL dataset %s yielded no batch; check its sampling and files",
                dataset.getClass().getSimpleName());
        return new InMemory(List.copyOf(samples));
    }

    private static void addRows(List<Sample> out, FloatTensor x, FloatTensor y, Object source) {
        Checks.check(
                x.shape().length >= 1
                        && y.shape().length >= 1
                        && x.shape()[0] == y.shape()[0],
                "a batch of %s has data of shape %s and labels of shape %s; both need the batch"
                        + " as their first axis",
                source.getClass().getSimpleName(),
                Arrays.toString(x.shape()),
                Arrays.toString(y.shape()));
        int rows = (int) x.shape()[0];
        int xRow = x.size() / Math.max(rows, 1);
        int yRow = y.size() / Math.max(rows, 1);
        long[] xShape = Arrays.copyOfRange(x.shape(), 1, x.shape().length);
        long[] yShape = Arrays.copyOfRange(y.shape(), 1, y.shape().length);
        for (int r = 0; r < rows; r++) {
            out.add(
                    new Sample(
                            new FloatTensor(
                                    Arrays.copyOfRange(x.data(), r * xRow, (r + 1) * xRow), xShape),
                            new FloatTensor(
                                    Arrays.copyOfRange(y.data(), r * yRow, (r + 1) * yRow),
                                    yShape)));
        }
    }

    /** Samples held in memory. */
    private static final class InMemory implements SampleDataset {
        private final List<Sample> samples;

        InMemory(List<Sample> samples) {
            this.samples = samples;
        }

        @Override
        public int size() {
            return samples.size();
        }

        @Override
        public Sample get(int index) {
            return samples.get(Checks.index(index, samples.size()));
        }
    }
}
