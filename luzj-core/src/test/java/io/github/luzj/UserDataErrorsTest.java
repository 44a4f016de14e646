package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Standardizer;
import io.github.luzj.data.TensorDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.loss.Losses;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.Synthetic;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The "your own data" API on input a hostile review found getting through: each case is one clear
 * {@link LuzjException} (or the right result) where a raw exception, a silent truncation or an
 * empty training came out before.
 */
class UserDataErrorsTest {

    static float[][] rows(int n, int d) {
        SplittableRandom r = new SplittableRandom(1);
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) r.nextGaussian();
            }
        }
        return x;
    }

    static SequentialBlock net(int out) {
        return new SequentialBlock().add(Linear.builder().setUnits(out).build());
    }

    static FittedModel fit(DataLoader train) {
        return Luz.setup(net(2), Losses.crossEntropy(), Optimizers.adam())
                .fit(FitOptions.builder(train).epochs(1).verbose(false).build());
    }

    /** A batch size of Integer.MAX_VALUE ("all at once") is one batch, not none. */
    @Test
    void hugeBatchSizeStillMakesOneBatch() {
        DataLoader all = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8]))
                .batchSize(Integer.MAX_VALUE).workers(0).build();
        assertThat(all.size()).isEqualTo(1);
        try (FittedModel f = fit(all)) {
            assertThat(f.globalStep()).isEqualTo(1);
        }
    }

    /** ... also through a lambda block, which DJL initializes by running a batch that size. */
    @Test
    void hugeBatchSizeInitializesALambdaBlockForTheRowsThereAre() {
        DataLoader all = DataLoader.builder(TensorDataset.of(rows(60, 4), new int[60]))
                .batchSize(Integer.MAX_VALUE).workers(0).build();
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(ai.djl.nn.Activation.reluBlock())
                .add(Linear.builder().setUnits(2).build());
        try (FittedModel f = Luz.setup(net, Losses.crossEntropy(), Optimizers.adam())
                .fit(FitOptions.builder(all).epochs(2).valid(all).verbose(false).build())) {
            assertThat(f.globalStep()).isEqualTo(2);
            assertThat(f.records().values("valid", "loss")).hasSize(2);
        }
    }

    /** ... and predict over such a loader gives every row. */
    @Test
    void hugeBatchSizePredict() {
        try (FittedModel f = fit(DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8]))
                .workers(0).build())) {
            DataLoader all = DataLoader.builder(TensorDataset.of(rows(8, 3)))
                    .batchSize(Integer.MAX_VALUE).build();
            assertThat(f.predictRows(all)).hasNumberOfRows(8);

        }
    }

    /** A transform failing on the first sample, read before any batch, is named like any other. */
    @Test
    void transformFailingOnFirstSampleIsOneLuzjException() {
        DataLoader dl = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8])).workers(2)
                .transform((x, rng) -> {
                    throw new IllegalStateException("user transform bug");
                }).build();
        assertThatThrownBy(() -> fit(dl)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("loading sample 0 (the first, read to set up the model) failed:"
                        + " user transform bug");

    }

    /** So is a dataset failing on it. */
    @Test
    void datasetFailingOnFirstSampleIsOneLuzjException() {
        SampleDataset bad = Synthetic.of(8, index -> {
            throw new IllegalStateException("cannot open record " + index);
        });
        DataLoader dl = DataLoader.builder(bad).workers(2).build();
        assertThatThrownBy(() -> fit(dl)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("loading sample 0 (the first, read to set up the model) failed:"
                        + " cannot open record 0");

    }

    /** A transform returning null is named, with or without workers. */
    @Test
    void transformReturningNullIsOneLuzjException() {
        for (int workers : new int[] {0, 2}) {
            DataLoader dl = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8]))
                    .workers(workers).transform((x, rng) -> null).build();
            assertThatThrownBy(() -> fit(dl)).isInstanceOf(LuzjException.class)
                    .hasMessageContaining("the transform returned null");

        }
    }

    /** A batch of more floats than one Java array holds is refused, not a wrapped size. */
    @Test
    void batchTooLargeForOneArrayIsOneLuzjException() {
        FloatTensor big = new FloatTensor(new float[1 << 20], new long[] {1 << 20});
        SampleDataset lazy = new SampleDataset() {
            @Override
            public int size() {
                return 4096;
            }

            @Override
            public Sample get(int index) {
                return Sample.unlabeled(big);
            }
        };
        DataLoader dl = DataLoader.builder(lazy).batchSize(2048).workers(0).build();
        assertThatThrownBy(() -> dl.iterator(1).next()).isInstanceOf(LuzjException.class)
                .hasMessageContaining("a batch of 2048 samples of 1,048,576 feature values each is"
                        + " 2,147,483,648 floats")
                .hasMessageContaining("lower the batch size");

    }

    /** A reshape whose sizes multiply past a long is refused, not left to the engine. */
    @Test
    void reshapeOverflowIsRefused() {
        TensorDataset t = TensorDataset.of(rows(8, 4), new int[8]);
        assertThatThrownBy(() -> t.reshape(4611686018427387905L, 4))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot reshape rows of 4 values to [4611686018427387905, 4] (more"
                        + " values)");

    }

    /** Cross-entropy refuses fractional class labels, which DJL would truncate; whole ones train. */
    @Test
    void fractionalClassLabelsAreRefused() {
        float[] y = new float[8];
        y[3] = 0.5f;
        y[4] = 1.7f;
        DataLoader dl = DataLoader.builder(TensorDataset.of(rows(8, 3), y)).batchSize(4)
                .workers(0).build();
        assertThatThrownBy(() -> fit(dl)).isInstanceOf(LuzjException.class);

    }

    /** A standardizer refuses NaN and infinite values and statistics. */
    @Test
    void standardizerRefusesNonFiniteValues() {
        float[][] r = rows(5, 2);
        r[1][0] = Float.NaN;
        assertThatThrownBy(() -> Standardizer.fit(r)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("row 1, column 0 is NaN");

        assertThatThrownBy(() -> Standardizer.of(new double[] {Double.NaN}, new double[] {1}))
                .isInstanceOf(LuzjException.class);
        assertThatThrownBy(() -> Standardizer.of(new double[] {0}, new double[] {Double.POSITIVE_INFINITY}))
                .isInstanceOf(LuzjException.class);
    }

    /** ... and null rows or statistics. */
    @Test
    void standardizerNullsAreLuzjExceptions() {
        assertThatThrownBy(() -> Standardizer.fit(new float[][] {{1}, null}))
                .isInstanceOf(LuzjException.class);
        assertThatThrownBy(() -> Standardizer.of(null, new double[] {1}))
                .isInstanceOf(LuzjException.class);
    }

    /** An index past either end is one LuzjException from every dataset, not a raw IOOBE. */
    @Test
    void anIndexOutsideADatasetIsNamedWithTheValidRange() {
        TensorDataset tensors = TensorDataset.of(rows(3, 2), new int[3]);
        SampleDataset[] all = {
            tensors,
            io.github.luzj.data.Subset.first(tensors, 2),
        };
        for (SampleDataset d : all) {
            for (int bad : new int[] {-1, d.size()}) {
                assertThatThrownBy(() -> d.get(bad))
                        .isExactlyInstanceOf(LuzjException.class)
                        .hasMessage("index " + bad + " is outside the dataset of " + d.size()
                                + " examples; pass 0 to " + (d.size() - 1));
            }
        }
    }

    /** Separable rows (class = sign of the first feature) and a classifier fitted on them. */
    static FittedModel separable(float[][] x, int[] y, DataLoader train) {
        return Luz.setup(net(2), Losses.crossEntropy(), Optimizers.adam().lr(0.05))
                .fit(FitOptions.builder(train).epochs(20).verbose(false).build());
    }

    /** predict and evaluate read a training loader in order; drop-last stays, with a warning. */
    @Test
    void predictAndEvaluateReadEveryExampleInOrderWhateverTheLoader() {
        float[][] x = rows(50, 3);
        int[] y = new int[50];
        for (int i = 0; i < 50; i++) {
            y[i] = x[i][0] > 0 ? 1 : 0;
        }
        DataLoader train = DataLoader.builder(TensorDataset.of(x, y)).batchSize(16)
                .shuffle(true).workers(0).build();
        DataLoader plain = DataLoader.builder(TensorDataset.of(x, y)).batchSize(16).workers(0).build();
        DataLoader dropping = train.toBuilder().dropLast(true).build();
        try (FittedModel f = separable(x, y, train)) {
            int[] inOrder = f.predictClasses(plain);
            assertThat(inOrder).hasSize(50);
            assertThat(f.predictClasses(train)).containsExactly(inOrder);
            assertThat(f.predictRows(train)).hasNumberOfRows(50);
            assertThat(f.evaluate(train)).isEqualTo(f.evaluate(plain));
            // drop-last is kept (a model of fixed batches needs it) and said: rows 48 and 49 out
            String warned = stderrOf(() -> assertThat(f.predictClasses(dropping))
                    .containsExactly(java.util.Arrays.copyOf(inOrder, 48)));
            assertThat(warned).contains("predict reads 48 of the 50 examples: the loader drops its"
                    + " last, partial batch (dropLast)");
            // the separable rows are learned: the order is the rows', not a shuffle's
            int right = 0;
            for (int i = 0; i < 50; i++) {
                right += inOrder[i] == y[i] ? 1 : 0;
            }
            assertThat(right).isGreaterThanOrEqualTo(45);
        }
    }

    /** A closed model says so, instead of DJL's "NDManager has been closed already". */
    @Test
    void aClosedModelSaysItIsClosed(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) {
        DataLoader data = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8]))
                .batchSize(4).workers(0).build();
        FittedModel f = fit(data);
        f.close();
        f.close(); // twice is fine
        for (org.assertj.core.api.ThrowableAssert.ThrowingCallable use : java.util.List.<
                org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                () -> f.evaluate(data), () -> f.predictClasses(data), () -> f.fit(data, 1),
                () -> f.save(tmp.resolve("m")))) {
            assertThatThrownBy(use).isExactlyInstanceOf(LuzjException.class)
                    .hasMessageStartingWith("this FittedModel is closed");
        }
    }

    /** Nulls a first hour passes by mistake are named, not a NullPointerException. */
    @Test
    void nullArgumentsAreNamed() {
        DataLoader data = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8]))
                .batchSize(4).workers(0).build();
        try (FittedModel f = fit(data);
                ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            for (org.assertj.core.api.ThrowableAssert.ThrowingCallable call : java.util.List.<
                    org.assertj.core.api.ThrowableAssert.ThrowingCallable>of(
                    () -> f.predict(data, null), () -> f.evaluate((DataLoader) null),
                    () -> f.predictClasses(null), () -> f.predictRows(null),
                    () -> f.evaluate(data, (io.github.luzj.callback.Callback[]) null),
                    () -> f.predict((DataLoader) null, m), () -> f.save(null),
                    () -> Luz.load(null, Luz.setup(net(2), Losses.crossEntropy(), Optimizers.adam())),
                    () -> Luz.setup(net(2), Losses.crossEntropy(), Optimizers.adam()).fit((FitOptions) null),
                    () -> Standardizer.fit((io.github.luzj.data.CsvDataset) null),
                    () -> io.github.luzj.data.Mnist.subset(null),
                    () -> TensorDataset.of(rows(2, 2), new int[2]).reshape((long[]) null),
                    () -> io.github.luzj.data.CsvDataset.builder(java.nio.file.Path.of("x.csv")).label(null))) {
                assertThatThrownBy(call).isExactlyInstanceOf(LuzjException.class)
                        .hasMessageContaining("is null");
            }
        }
    }

    /** A callback's setLoss(null) is that callback's failure, named, not an NPE in backward. */
    @Test
    void setLossNullIsTheCallbacksError() {
        DataLoader data = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8]))
                .batchSize(4).workers(0).build();
        assertThatThrownBy(() -> Luz.setup(net(2), Losses.crossEntropy(), Optimizers.adam())
                        .fit(FitOptions.builder(data).epochs(1).verbose(false)
                                .callbacks(io.github.luzj.callback.Callback.on(
                                        io.github.luzj.callback.Phase.TRAIN_BATCH_AFTER_LOSS,
                                        ctx -> ctx.setLoss(null)))
                                .build()))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageStartingWith("loss is null; a callback's setLoss needs the batch's loss");
    }

    /** What {@code run} printed on stderr, where luzj's warnings go (slf4j-simple in tests). */
    static String stderrOf(Runnable run) {
        java.io.PrintStream err = System.err;
        java.io.ByteArrayOutputStream seen = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(seen, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            run.run();
        } finally {
            System.setErr(err);
        }
        return seen.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A NaN training loss is a warning of its own, without TerminateOnNaN. */
    @Test
    void aNaNLossIsWarnedAbout() {
        // TensorDataset refuses NaN, a dataset of one's own does not check
        float[][] x = rows(8, 3);
        x[0][0] = Float.NaN;
        DataLoader data = DataLoader.builder(Synthetic.of(8, i -> new Sample(
                        new FloatTensor(x[i], new long[] {3}), FloatTensor.scalar(0))))
                .batchSize(4).workers(0).build();
        String out = stderrOf(() -> {
            try (FittedModel f = Luz.setup(net(2), Losses.crossEntropy(), Optimizers.adam())
                    .fit(FitOptions.builder(data).epochs(2).verbose(false).build())) {
                assertThat(f.records().values("train", "loss")).containsOnly(Double.NaN);
                // NaN outputs compare false with everything: no class is picked for them
                assertThatThrownBy(() -> f.predictClasses(
                                DataLoader.builder(TensorDataset.of(rows(3, 3))).workers(0).build()))
                        .isExactlyInstanceOf(LuzjException.class)
                        .hasMessageContaining("the model's output for example 0 is NaN, so it names no class");
            }
        });
        assertThat(out).contains("the training loss of epoch 1 is NaN: lower the learning rate");
        assertThat(out.indexOf("is NaN:")).isEqualTo(out.lastIndexOf("is NaN:")); // once a fit
    }

    /** Records print as what they hold. */
    @Test
    void recordsPrintTheirLastValues() {
        DataLoader data = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8]))
                .batchSize(4).workers(0).build();
        try (FittedModel f = Luz.setup(net(2), Losses.crossEntropy(), Optimizers.adam())
                .fit(data, 2)) {
            assertThat(f.records().toString())
                    .isEqualTo("Records(2 epochs, 4 steps; train: loss=" + f.records().last("train", "loss") + ")");
        }
    }

    /** A first fit that fails frees nothing the user had: the block's weights, the user's model. */
    @Test
    void aFailedFitLeavesTheUsersWeightsAndModel() {
        DataLoader bad = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[] {0, 1, 2, 9, 0, 1, 2, 0}))
                .batchSize(4).workers(0).build();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            SequentialBlock net = net(3);
            net.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(4, 3));
            float[] before = net.getParameters().get(0).getValue().getArray().toFloatArray();
            assertThatThrownBy(() -> Luz.setup(net, Losses.crossEntropy(), Optimizers.adam())
                            .fit(FitOptions.builder(bad).epochs(1).verbose(false).build()))
                    .isInstanceOf(LuzjException.class);
            assertThat(net.getParameters().get(0).getValue().getArray().toFloatArray())
                    .as("the pretrained weights survive").containsExactly(before);
            // and are the user's manager's again: closing it frees them (they leaked before)
            for (ai.djl.util.Pair<String, ai.djl.nn.Parameter> p : net.getParameters()) {
                assertThat(p.getValue().getArray().getManager()).as(p.getKey()).isSameAs(m);
            }
            DataLoader good = DataLoader.builder(TensorDataset.of(rows(8, 3), new int[8]))
                    .batchSize(4).workers(0).build();
            try (FittedModel again = Luz.setup(net, Losses.crossEntropy(), Optimizers.adam()).fit(good, 1)) {
                assertThat(again.globalStep()).isEqualTo(2);
            }
        }
        try (ai.djl.Model mine = ai.djl.Model.newInstance("mine")) {
            mine.setBlock(net(3));
            assertThatThrownBy(() -> Luz.setup(mine, Losses.crossEntropy(), Optimizers.adam())
                            .fit(FitOptions.builder(bad).epochs(1).verbose(false).build()))
                    .isInstanceOf(LuzjException.class);
            assertThat(mine.getNDManager().isOpen()).as("the user's model stays open").isTrue();
        }
    }
}
