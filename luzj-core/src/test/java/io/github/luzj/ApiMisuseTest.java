package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.CsvDataset;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Standardizer;
import io.github.luzj.data.Subset;
import io.github.luzj.data.TensorDataset;
import io.github.luzj.loss.Losses;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.transfer.FeatureCache;
import io.github.luzj.testing.Synthetic;
import io.github.luzj.vision.models.ChapterConvNet;
import io.github.luzj.vision.models.ResNet18;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Mistakes a hostile review of the public API made, each now one {@link LuzjException} naming
 * the problem, where a raw DJL, engine or Java exception came out before.
 */
class ApiMisuseTest {

    private static DataLoader rows(int n, int d) {
        return DataLoader.builder(TensorDataset.of(UserDataErrorsTest.rows(n, d), new int[n]))
                .batchSize(4).workers(0).build();
    }

    private static SetupModel linear(Metric... metrics) {
        return Luz.setup(Linear.builder().setUnits(2).build(), Losses.crossEntropy(),
                Optimizers.adam(), metrics);
    }

    /** A metric whose update, compute or accumulator fails. */
    private static Metric metric(String name, boolean failUpdate, boolean nullAccumulator) {
        return new Metric() {
            @Override
            public String abbrev() {
                return name;
            }

            @Override
            public Accumulator newAccumulator(NDManager manager) {
                if (nullAccumulator) {
                    return null;
                }
                return new Accumulator() {
                    @Override
                    public void update(NDList predictions, NDList labels) {
                        if (failUpdate) {
                            throw new IllegalStateException("my metric's bug");
                        }
                    }

                    @Override
                    public double compute() {
                        throw new ArithmeticException("/ by zero");
                    }

                    @Override
                    public void reset() {}
                };
            }
        };
    }

    @Test
    void flatRowsFedToAConvnetSayWhatShapeItTakes() {
        SetupModel s = Luz.setup(ChapterConvNet.withBatchNorm(), Losses.crossEntropy(), Optimizers.adam());
        assertThatThrownBy(() -> s.fit(rows(8, 784), 1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("does not accept input of shape (4, 784)")
                .hasMessageContaining("reshape(1, 28, 28)");
    }

    @Test
    void aFeatureCacheOverAnUninitializedBackboneSaysSo() {
        ResNet18 net = ResNet18.create(2);
        net.freeze();
        DataLoader images = DataLoader.builder(
                        TensorDataset.of(new float[2][3 * 32 * 32], new int[2]).reshape(3, 32, 32))
                .workers(0).build();
        assertThatThrownBy(() -> FeatureCache.of(net, images))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("weights are not initialized");
    }

    @Test
    void aFailingMetricIsNamed() {
        assertThatThrownBy(() -> linear(metric("f1", true, false)).fit(rows(8, 3), 1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("metric 'f1' failed in update")
                .hasMessageContaining("my metric's bug");
        assertThatThrownBy(() -> linear(metric("f1", false, false)).fit(rows(8, 3), 1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("metric 'f1' failed in compute or reset");
        assertThatThrownBy(() -> linear(metric("f1", false, true)).fit(rows(8, 3), 1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("metric 'f1' made no accumulator");
        Metric throwing = new Metric() {
            @Override
            public String abbrev() {
                return "auc";
            }

            @Override
            public Accumulator newAccumulator(NDManager manager) {
                throw new UnsupportedOperationException("no accumulator for you");
            }
        };
        assertThatThrownBy(() -> linear(throwing).fit(rows(8, 3), 1))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("metric 'auc' failed in newAccumulator")
                .hasMessageContaining("no accumulator for you");
    }

    @Test
    void aLossThatCannotReadTheOutputsOrFailsOrReturnsNullIsNamed() {
        // two outputs into a loss that takes one: DJL's singletonOrThrow said IndexOutOfBounds
        ai.djl.nn.Block twoOutputs = new ai.djl.nn.ParallelBlock(
                list -> new ai.djl.ndarray.NDList(list.get(0).head(), list.get(1).head()),
                java.util.List.of(Linear.builder().setUnits(2).build(), Linear.builder().setUnits(2).build()));
        assertThatThrownBy(() -> Luz.setup(twoOutputs, Losses.crossEntropy(), Optimizers.adam()).fit(rows(8, 3), 1))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot read the model's output: the block returns 2 arrays");
        ai.djl.training.loss.Loss npe = new ai.djl.training.loss.Loss("mine") {
            @Override
            public ai.djl.ndarray.NDArray evaluate(ai.djl.ndarray.NDList labels, ai.djl.ndarray.NDList predictions) {
                throw new NullPointerException("my loss's bug");
            }
        };
        assertThatThrownBy(() -> Luz.setup(Linear.builder().setUnits(2).build(), npe, Optimizers.adam()).fit(rows(8, 3), 1))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("the loss mine failed")
                .hasMessageContaining("my loss's bug");
        ai.djl.training.loss.Loss nothing = new ai.djl.training.loss.Loss("none") {
            @Override
            public ai.djl.ndarray.NDArray evaluate(ai.djl.ndarray.NDList labels, ai.djl.ndarray.NDList predictions) {
                return null;
            }
        };
        assertThatThrownBy(() -> Luz.setup(Linear.builder().setUnits(2).build(), nothing, Optimizers.adam()).fit(rows(8, 3), 1))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("the loss none returned null");
    }

    @Test
    void aMetricWithoutANameIsRefusedAtSetup() {
        assertThatThrownBy(() -> linear(metric("", false, false)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("has no name");
        assertThatThrownBy(() -> linear(metric(null, false, false)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("has no name");
        assertThatThrownBy(() -> linear((Metric[]) null))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("metrics is null");
    }

    @Test
    void weightsFreedUnderACallbackAreNamedAsFreedNotAsTheCallbacksFault() {
        // what DJL throws when a callback (the LR finder's snapshot) reads a closed backbone's
        // array, against a callback's own bug: each DJL or Java message and what luzj says of it
        String[][] cases = {
            {"Native resource has been released already.", "the model's weights are freed"},
            {"my callback's bug", "failed at on_fit_begin: java.lang.IllegalStateException: my callback's bug"},
        };
        for (String[] c : cases) {
            Callback throwing = Callback.on(Phase.FIT_BEGIN, ctx -> {
                throw new IllegalStateException(c[0]);
            });
            assertThatThrownBy(() -> linear().fit(rows(8, 3), 1, null, throwing))
                    .as(c[0])
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining(c[1]);
        }
    }

    @Test
    void aLossSetToANewArrayIsNamed() {
        Callback constant = Callback.on(
                Phase.TRAIN_BATCH_AFTER_LOSS, c -> c.setLoss(c.batchManager().create(1f)));
        assertThatThrownBy(() -> linear().fit(rows(8, 3), 1, null, constant))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("does not depend on the model's weights");
    }

    @Test
    void pretrainedWeightsIntoAClosedManagerAreRefused() {
        NDManager closed = NDManager.newBaseManager();
        closed.close();
        assertThatThrownBy(() -> ResNet18.pretrained(Path.of("resnet18.safetensors"), closed))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("NDManager passed for the weights is closed");
    }

    @Test
    void predictingIntoAClosedManagerIsRefused() {
        try (FittedModel f = linear().fit(rows(8, 3), 1)) {
            NDManager closed = NDManager.newBaseManager();
            closed.close();
            assertThatThrownBy(() -> f.predict(rows(4, 3), closed))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("NDManager passed to predict is closed");
        }
    }

    @Test
    void aModelWithoutParametersIsNotCalledFrozen() {
        SetupModel s = Luz.setup(new SequentialBlock().add(Activation.reluBlock()),
                Losses.mse(), Optimizers.adam());
        DataLoader data = DataLoader.builder(TensorDataset.of(UserDataErrorsTest.rows(4, 2), new float[4])).workers(0).build();
        assertThatThrownBy(() -> s.fit(data, 1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("has no parameters at all");
    }

    @Test
    void aStandardDeviationTooSmallForAFloatIsRefused() {
        assertThatThrownBy(() -> Standardizer.of(new double[] {0}, new double[] {1e-300}))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("at least 1.17549435E-38 (the smallest normal float)");
        Standardizer.of(new double[] {0}, new double[] {1e-6});
    }

    @Test
    void aCsvColumnNamedTwiceIsRefused() {
        assertThatThrownBy(() -> CsvDataset.builder(Path.of("x.csv")).features("a", "b", "a"))
                .isInstanceOf(LuzjException.class)
                .hasMessage("features names 'a' twice (features[0] and features[2]); name each column once");
    }

    @Test
    void aSecondFitTrainingAtTheSameTimeIsNamed() {
        // DJL allows one gradient collector in the JVM: one held here stands for a fit on another thread
        try (ai.djl.training.GradientCollector other = ai.djl.engine.Engine.getInstance().newGradientCollector()) {
            assertThatThrownBy(() -> linear().fit(rows(8, 3), 1))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("another fit is training in this JVM at the same time");
        }
    }

    @Test
    void weightsFreedUnderAFittedModelAreNamed() {
        Model model = Model.newInstance("mine");
        model.setBlock(Linear.builder().setUnits(2).build());
        try (FittedModel f = Luz.setup(model, Losses.crossEntropy(), Optimizers.adam()).fit(rows(8, 3), 1)) {
            model.close();
            assertThatThrownBy(() -> f.predictRows(rows(4, 3)))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("the model's weights are freed");
        }
    }

    @Test
    void anInterruptedFitSaysSo() {
        SampleDataset slow = Synthetic.of(16, index -> {
            try {
                Thread.sleep(index >= 4 ? 50 : 0);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new Sample(new FloatTensor(new float[3], new long[] {3}), FloatTensor.scalar(0));
        });
        DataLoader data = DataLoader.builder(slow).batchSize(4).workers(1).build();
        Callback interrupt = Callback.on(Phase.TRAIN_BATCH_END, c -> Thread.currentThread().interrupt());
        try {
            assertThatThrownBy(() -> linear().fit(data, 1, null, interrupt))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("interrupted (Thread.interrupt) while waiting for batch 2 of epoch 1");
        } finally {
            Thread.interrupted();
        }
    }

    @Test
    void nullsAndNegativeDimensionsAreNamed() {
        TensorDataset data = TensorDataset.of(UserDataErrorsTest.rows(4, 3), new int[4]);
        assertThatThrownBy(() -> new Subset(null, new int[] {0}))
                .isInstanceOf(LuzjException.class).hasMessageContaining("base is null");
        assertThatThrownBy(() -> new Subset(data, null))
                .isInstanceOf(LuzjException.class).hasMessageContaining("indices is null");
        assertThatThrownBy(() -> Subset.first(null, 1))
                .isInstanceOf(LuzjException.class).hasMessageContaining("base is null");
        Standardizer st = Standardizer.fit(UserDataErrorsTest.rows(4, 3));
        assertThatThrownBy(() -> st.apply((float[][]) null))
                .isInstanceOf(LuzjException.class).hasMessageContaining("rows is null");
        assertThatThrownBy(() -> st.apply(new float[][] {null}))
                .isInstanceOf(LuzjException.class).hasMessageContaining("row 0 is null");
        assertThatThrownBy(() -> new FloatTensor(null, new long[] {1}))
                .isInstanceOf(LuzjException.class).hasMessageContaining("data is null");
        assertThatThrownBy(() -> new FloatTensor(new float[0], null))
                .isInstanceOf(LuzjException.class).hasMessageContaining("shape is null");
        assertThatThrownBy(() -> new FloatTensor(new float[0], new long[] {-1, 0}))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("a tensor dimension must be >= 0, got -1");
        // 2^62 * 4 wraps round to 0 in a long, the length of the data
        assertThatThrownBy(() -> new FloatTensor(new float[0], new long[] {1L << 62, 4}))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("holds more than 2147483647 values but 0 were given");
        assertThat(new FloatTensor(new float[0], new long[] {1L << 62, 0}).data()).isEmpty();
        assertThatThrownBy(() -> ResNet18.create(2).layerParameters(null))
                .isInstanceOf(LuzjException.class).hasMessageContaining("layer is null");
        assertThatThrownBy(() -> io.github.luzj.djl.DjlMetrics.of(new ai.djl.training.evaluator.Accuracy(null)))
                .isInstanceOf(LuzjException.class).hasMessageContaining("has no name");
        assertThatThrownBy(() -> io.github.luzj.transfer.Transfer.resnet18(null, 2, null))
                .isInstanceOf(LuzjException.class).hasMessageContaining("weights is null");
        assertThatThrownBy(() -> Subset.shuffledIndices(-1, 7))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("n >= 0");
    }
}
