package io.github.luzj.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.training.dataset.ArrayDataset;
import ai.djl.training.dataset.Batch;
import ai.djl.training.dataset.Dataset;
import ai.djl.training.dataset.RandomAccessDataset;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.loss.Loss;
import ai.djl.translate.StackBatchifier;
import ai.djl.translate.TranslateException;
import ai.djl.util.Progress;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.DjlFixtures;
import io.github.luzj.testing.Synthetic;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DjlDatasetsTest {

    private NDManager manager;

    @BeforeEach
    void open() {
        manager = NDManager.newBaseManager();
    }

    @AfterEach
    void close() {
        manager.close();
    }

    private FittedModel fit(DataLoader train) {
        return Luz.setup(
                        DjlFixtures.linear(3),
                        Loss.softmaxCrossEntropyLoss(),
                        Optimizers.adam().lr(0.05),
                        DjlMetrics.of(new Accuracy()))
                .fit(FitOptions.builder(train).epochs(3).seed(7).verbose(false).build());
    }

    @Test
    void anArrayDatasetFitsAndEvaluatesLikeTheSameDataThroughALuzjLoader() {
        SampleDataset data = Synthetic.argmaxClasses(200, 4, 3, 11);
        SampleDataset held = Synthetic.argmaxClasses(64, 4, 3, 12);
        DataLoader luzjTrain = DataLoader.builder(data).batchSize(16).build();
        DataLoader luzjValid = DataLoader.builder(held).batchSize(16).build();
        ArrayDataset djlTrain = DjlFixtures.arrays(manager, data).setSampling(16, false).build();
        ArrayDataset djlValid = DjlFixtures.arrays(manager, held).setSampling(16, false).build();
        DataLoader fromDjl = DjlDatasets.loader(djlTrain);
        assertThat(fromDjl.batchSize()).isEqualTo(16);
        assertThat(fromDjl.size()).isEqualTo(luzjTrain.size());

        try (FittedModel viaLuzj = fit(luzjTrain);
                FittedModel viaDjl = fit(fromDjl)) {
            double[] lossLuzj = viaLuzj.records().values("train", "loss");
            assertThat(lossLuzj[2]).isLessThan(lossLuzj[0]); // it did learn
            assertThat(viaDjl.records().values("train", "loss")).containsExactly(lossLuzj);
            assertThat(viaDjl.records().values("train", "accuracy"))
                    .containsExactly(viaLuzj.records().values("train", "accuracy"));
            Map<String, Double> evalLuzj = viaLuzj.evaluate(luzjValid);
            assertThat(evalLuzj).containsOnlyKeys("loss", "accuracy");
            assertThat(viaDjl.evaluate(DjlDatasets.loader(djlValid))).isEqualTo(evalLuzj);
        }
    }

    @Test
    void theLoaderFollowsTheDatasetsSampling() {
        SampleDataset data = Synthetic.argmaxClasses(30, 4, 3, 1);
        assertThat(DjlSampling.of(DjlFixtures.arrays(manager, data).setSampling(5, false).build()))
                .isEqualTo(new DjlSampling(5, false, false));
        assertThat(DjlSampling.of(DjlFixtures.arrays(manager, data).setSampling(8, true).build()))
                .isEqualTo(new DjlSampling(8, true, false));
        ArrayDataset dropping = DjlFixtures.arrays(manager, data).setSampling(8, true, true).build();
        assertThat(DjlSampling.of(dropping)).isEqualTo(new DjlSampling(8, true, true));
        DataLoader loader = DjlDatasets.loader(dropping);
        assertThat(loader.size()).isEqualTo(3);
        assertThat(loader.sampleCount()).isEqualTo(24);
        assertThat(loader.order(1)).isNotEqualTo(loader.order(2)); // luzj shuffles each epoch

        // a split keeps its parent's sampler
        RandomAccessDataset part = DjlFixtures.arrays(manager, data).setSampling(4, false, true).build()
                .subDataset(0, 10);
        assertThat(DjlSampling.of(part)).isEqualTo(new DjlSampling(4, false, true));
        assertThat(DjlDatasets.loader(part).size()).isEqualTo(2);

        // the user's own loader options win
        assertThat(DjlDatasets.loaderBuilder(dropping).batchSize(10).dropLast(false).build().size())
                .isEqualTo(3);
    }

    /** A sampler of batch size 2 that yields what {@code batches} gives. */
    private static ai.djl.training.dataset.Sampler sampler(
            java.util.function.Supplier<java.util.Iterator<List<Long>>> batches) {
        return new ai.djl.training.dataset.Sampler() {
            @Override
            public java.util.Iterator<List<Long>> sample(RandomAccessDataset dataset) {
                return batches.get();
            }

            @Override
            public int getBatchSize() {
                return 2;
            }
        };
    }

    @Test
    void aSamplerOfTheUsersOwnThatNeverEndsThrowsOrOverfillsIsRefused() {
        SampleDataset data = Synthetic.argmaxClasses(6, 4, 3, 1);
        // empty batches for ever: DjlSampling.of looped without end
        java.util.Iterator<List<Long>> endless = java.util.stream.Stream.generate(List::<Long>of).iterator();
        assertThatThrownBy(() -> DjlSampling.of(DjlFixtures.arrays(manager, data)
                        .setSampling(sampler(() -> endless)).build()))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("yields more than 6 empty batches");
        assertThatThrownBy(() -> DjlSampling.of(DjlFixtures.arrays(manager, data)
                        .setSampling(sampler(() -> List.of(List.of(0L, 1L, 2L, 3L)).iterator())).build()))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("yields a batch of 4, more than its batch size 2");
        assertThatThrownBy(() -> DjlSampling.of(DjlFixtures.arrays(manager, data)
                        .setSampling(sampler(() -> { throw new IllegalStateException("my sampler's bug"); })).build()))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("failed: java.lang.IllegalStateException: my sampler's bug");
        java.util.List<List<Long>> withNull = new java.util.ArrayList<>();
        withNull.add(null);
        assertThatThrownBy(() -> DjlSampling.of(DjlFixtures.arrays(manager, data)
                        .setSampling(sampler(withNull::iterator)).build()))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("yields a null batch");
    }

    @Test
    void samplesKeepTheDatasetsPipelines() {
        SampleDataset data = Synthetic.argmaxClasses(12, 4, 3, 5);
        // the default batchifier takes ArrayDataset's bulk path (pipeline on the batch); a new
        // StackBatchifier takes DataIterable's path (pipeline per record): both must apply
        ArrayDataset bulk =
                DjlFixtures.arrays(manager, data)
                        .addTransform(a -> a.mul(2))
                        .addTargetTransform(a -> a.add(10))
                        .setSampling(4, false)
                        .build();
        ArrayDataset perRecord =
                DjlFixtures.arrays(manager, data)
                        .addTransform(a -> a.mul(2))
                        .addTargetTransform(a -> a.add(10))
                        .optDataBatchifier(new StackBatchifier())
                        .optLabelBatchifier(new StackBatchifier())
                        .setSampling(4, false)
                        .build();
        for (RandomAccessDataset djl : List.of(bulk, perRecord)) {
            SampleDataset seen = DjlDatasets.samples(djl);
            assertThat(seen.size()).isEqualTo(12);
            for (int i = 0; i < 12; i++) {
                Sample want = data.get(i);
                Sample got = seen.get(i);
                assertThat(got.x().shape()).containsExactly(4);
                assertThat(got.y().shape()).isEmpty();
                for (int j = 0; j < 4; j++) {
                    assertThat(got.x().data()[j]).isEqualTo(want.x().data()[j] * 2);
                }
                assertThat(got.y().data()[0]).isEqualTo(want.y().data()[0] + 10);
            }
        }
    }

    @Test
    void recordsThatAreNotOneArrayEachFailClearlyAndUnlabeledOnesAreFeaturesOnly() {
        SampleDataset data = Synthetic.argmaxClasses(8, 4, 3, 5);
        ArrayDataset twoInputs =
                new ArrayDataset.Builder()
                        .setData(DjlFixtures.features(manager, data), DjlFixtures.features(manager, data))
                        .optLabels(DjlFixtures.labels(manager, data))
                        .setSampling(4, false)
                        .build();
        assertThatThrownBy(() -> DjlDatasets.samples(twoInputs).get(0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("has 2 data arrays")
                .hasMessageContaining("one data array and one label array");
        ArrayDataset unlabelled =
                new ArrayDataset.Builder()
                        .setData(DjlFixtures.features(manager, data))
                        .setSampling(4, false)
                        .build();
        // features without labels are data to predict on, not an error
        assertThat(DjlDatasets.samples(unlabelled).get(0).labeled()).isFalse();
        assertThat(DjlDatasets.samples(unlabelled).get(0).x().data())
                .containsExactly(data.get(0).x().data());
        assertThatThrownBy(() -> DjlDatasets.samples(twoInputs).get(8))
                .isInstanceOf(LuzjException.class)
                .hasMessage("index 8 is outside the dataset of 8 examples; pass 0 to 7");
    }

    @Test
    void readsFromSeveralThreadsMatchOneThread() throws Exception {
        SampleDataset data = Synthetic.argmaxClasses(64, 4, 3, 9);
        SampleDataset seen =
                DjlDatasets.samples(DjlFixtures.arrays(manager, data).setSampling(8, false).build());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<Sample>> reads = new ArrayList<>();
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < 64; i++) {
                    int index = i;
                    reads.add(pool.submit(() -> seen.get(index)));
                }
            }
            for (int k = 0; k < reads.size(); k++) {
                Sample got = reads.get(k).get();
                assertThat(got.x().data()).containsExactly(data.get(k % 64).x().data());
                assertThat(got.y().data()).containsExactly(data.get(k % 64).y().data());
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anIterableOnlyDatasetIsReadIntoMemory() {
        SampleDataset data = Synthetic.argmaxClasses(21, 4, 3, 4);
        ArrayDataset backing = DjlFixtures.arrays(manager, data).setSampling(5, false).build();
        // a Dataset that only iterates, as a streaming dataset does
        Dataset streaming =
                new Dataset() {
                    @Override
                    public Iterable<Batch> getData(NDManager m)
                            throws IOException, TranslateException {
                        return backing.getData(m);
                    }

                    @Override
                    public void prepare(Progress progress) {}
                };
        SampleDataset copy = DjlDatasets.inMemory(streaming);
        assertThat(copy.size()).isEqualTo(21);
        for (int i = 0; i < 21; i++) {
            assertThat(copy.get(i).x().data()).containsExactly(data.get(i).x().data());
            assertThat(copy.get(i).x().shape()).containsExactly(4);
            assertThat(copy.get(i).y().data()).containsExactly(data.get(i).y().data());
        }
    }

    @Test
    void aDatasetWithoutSamplerAsksForLoaderSettings() {
        RandomAccessDataset noSampler =
                new RandomAccessDataset(new ArrayDataset.Builder().setSampling(1, false)) {
                    {
                        sampler = null; // as a hand-written subclass may leave it
                    }

                    @Override
                    public ai.djl.training.dataset.Record get(NDManager m, long index) {
                        throw new UnsupportedOperationException();
                    }

                    @Override
                    protected long availableSize() {
                        return 3;
                    }

                    @Override
                    public void prepare(Progress progress) {}
                };
        assertThatThrownBy(() -> DjlDatasets.loader(noSampler))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("has no sampler")
                .hasMessageContaining("setSampling");
    }

    @Test
    void aRecordDjlCannotDecodeIsNamedWithItsCause() {
        // DJL's iterator wraps what get() throws in IllegalStateException("Data loading failed"),
        // as it does for a damaged image in an ImageFolder
        RandomAccessDataset damaged = failing(3, () -> new javax.imageio.IIOException("Error skipping PNG metadata"));
        assertThatThrownBy(() -> DjlDatasets.samples(damaged).get(2))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot read record 2 of the DJL dataset")
                .hasMessageContaining("Error skipping PNG metadata")
                .hasMessageContaining("replace or remove it");
    }

    @Test
    void aDamagedImageInAnImageFolderIsNamedByItsFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp)
            throws Exception {
        for (String label : new String[] {"cat", "dog"}) {
            java.nio.file.Path dir = java.nio.file.Files.createDirectories(tmp.resolve(label));
            java.awt.image.BufferedImage img =
                    new java.awt.image.BufferedImage(4, 4, java.awt.image.BufferedImage.TYPE_INT_RGB);
            javax.imageio.ImageIO.write(img, "png", dir.resolve("a.png").toFile());
        }
        // a PNG cut short after its header: ImageIO fails inside the image data
        java.nio.file.Path good = tmp.resolve("dog/a.png");
        byte[] bytes = java.nio.file.Files.readAllBytes(good);
        java.nio.file.Path bad = tmp.resolve("dog/b.png");
        java.nio.file.Files.write(bad, java.util.Arrays.copyOf(bytes, 40));
        ai.djl.basicdataset.cv.classification.ImageFolder folder =
                ai.djl.basicdataset.cv.classification.ImageFolder.builder()
                        .setRepositoryPath(tmp).setSampling(1, false).build();
        folder.prepare();
        SampleDataset samples = DjlDatasets.samples(folder);
        assertThat(samples.get(0)).isNotNull();
        assertThatThrownBy(() -> samples.get(2))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot read record 2 (" + bad + ") of the DJL dataset ImageFolder")
                .hasMessageContaining("replace or remove it");
    }

    @Test
    void anImageFolderWithoutImagesFailsClearlyWhereDjlThrowsIllegalArgument(
            @org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
        java.nio.file.Path file = java.nio.file.Files.writeString(tmp.resolve("notafolder"), "x");
        for (java.nio.file.Path root : new java.nio.file.Path[] {tmp.resolve("empty"), tmp.resolve("missing"), file}) {
            if (root.endsWith("empty")) {
                java.nio.file.Files.createDirectories(root);
            }
            ai.djl.basicdataset.cv.classification.ImageFolder folder =
                    ai.djl.basicdataset.cv.classification.ImageFolder.builder()
                            .setRepositoryPath(root).setSampling(1, false).build();
            assertThatThrownBy(() -> DjlDatasets.samples(folder))
                    .as(root.toString())
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("cannot prepare the DJL dataset ImageFolder")
                    .hasMessageContaining(root.toString())
                    .hasMessageContaining("one subfolder of images per class");
        }
    }

    @Test
    void aRecordTooLargeForTheHeapSaysSoInsteadOfCallingTheFileDamaged() {
        RandomAccessDataset huge = failing(1,
                () -> new IllegalStateException("Data loading failed", new OutOfMemoryError("Java heap space")));
        assertThatThrownBy(() -> DjlDatasets.samples(huge).get(0))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("Java heap space")
                .hasMessageContaining("-Xmx")
                .hasMessageNotContaining("damaged");
    }

    /** A dataset of {@code size} records whose every read throws what {@code error} makes. */
    private static RandomAccessDataset failing(long size, java.util.function.Supplier<Exception> error) {
        return new RandomAccessDataset(new ArrayDataset.Builder().setSampling(1, false)) {
            @Override
            public ai.djl.training.dataset.Record get(NDManager m, long index) throws IOException {
                Exception e = error.get();
                if (e instanceof IOException io) {
                    throw io;
                }
                throw (RuntimeException) e;
            }

            @Override
            protected long availableSize() {
                return size;
            }

            @Override
            public void prepare(Progress progress) {}
        };
    }
}
