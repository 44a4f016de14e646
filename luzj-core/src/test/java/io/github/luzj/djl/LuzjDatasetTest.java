package io.github.luzj.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.EasyTrain;
import ai.djl.training.ParameterStore;
import ai.djl.training.Trainer;
import ai.djl.training.dataset.Record;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.listener.TrainingListener;
import ai.djl.training.listener.TrainingListenerAdapter;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.data.Transform;
import io.github.luzj.testing.DjlFixtures;
import io.github.luzj.testing.Synthetic;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class LuzjDatasetTest {

    private static float lossOf(Model model, NDManager m, SampleDataset data) {
        NDList x = new NDList(DjlFixtures.features(m, data));
        NDList y = new NDList(DjlFixtures.labels(m, data));
        NDList pred = model.getBlock().forward(new ParameterStore(m, false), x, false);
        return Loss.softmaxCrossEntropyLoss().evaluate(y, pred).getFloat();
    }

    @Test
    void easyTrainFitsOneEpochOnLuzjData() throws Exception {
        SampleDataset data = Synthetic.argmaxClasses(256, 4, 3, 31);
        LuzjDataset train = LuzjDataset.builder(data).setSampling(16, true).build();
        LuzjDataset valid =
                LuzjDataset.builder(Synthetic.argmaxClasses(48, 4, 3, 32))
                        .setSampling(16, false)
                        .build();
        AtomicInteger trainBatches = new AtomicInteger();
        AtomicInteger validBatches = new AtomicInteger();
        TrainingListener counter =
                new TrainingListenerAdapter() {
                    @Override
                    public void onTrainingBatch(Trainer trainer, BatchData batchData) {
                        trainBatches.incrementAndGet();
                    }

                    @Override
                    public void onValidationBatch(Trainer trainer, BatchData batchData) {
                        validBatches.incrementAndGet();
                    }
                };
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .optOptimizer(
                                Optimizer.adam().optLearningRateTracker(Tracker.fixed(0.05f)).build())
                        .addEvaluator(new Accuracy())
                        .addTrainingListeners(counter);
        try (Model model = Model.newInstance("djl-trains-luzj-data");
                NDManager m = NDManager.newBaseManager()) {
            model.setBlock(DjlFixtures.linear(3));
            try (Trainer trainer = model.newTrainer(config)) {
                trainer.initialize(new Shape(16, 4));
                float before = lossOf(model, m, data);
                EasyTrain.fit(trainer, 1, train, valid);
                float after = lossOf(model, m, data);
                assertThat(trainBatches.get()).isEqualTo(16);
                assertThat(validBatches.get()).isEqualTo(3);
                assertThat(after).isLessThan(before * 0.9f);
            }
        }
    }

    @Test
    void recordsCarryTheTransformedSampleAndRandomnessIsRepeatable() {
        SampleDataset data = Synthetic.argmaxClasses(5, 4, 3, 33);
        Transform noisy =
                (x, rng) -> {
                    float[] out = x.data().clone();
                    out[0] += (float) rng.nextDouble();
                    return new FloatTensor(out, x.shape());
                };
        LuzjDataset a = LuzjDataset.builder(data).optTransform(noisy).optSeed(3).setSampling(2, false).build();
        LuzjDataset b = LuzjDataset.builder(data).optTransform(noisy).optSeed(3).setSampling(2, false).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Record first = a.get(m, 2);
            NDArray x1 = first.getData().singletonOrThrow();
            assertThat(x1.getShape()).isEqualTo(new Shape(4));
            assertThat(first.getLabels().singletonOrThrow().getFloat())
                    .isEqualTo(data.get(2).y().data()[0]);
            float[] want = data.get(2).x().data();
            float[] got = x1.toFloatArray();
            assertThat(got[0]).isGreaterThanOrEqualTo(want[0]).isLessThan(want[0] + 1);
            assertThat(got[0]).isNotEqualTo(want[0]);
            assertThat(new float[] {got[1], got[2], got[3]})
                    .containsExactly(want[1], want[2], want[3]);
            float[] second = a.get(m, 2).getData().head().toFloatArray();
            assertThat(second[0]).isNotEqualTo(got[0]); // a new epoch, new randomness
            // another dataset with the same seed sees the same draws in the same reads
            assertThat(b.get(m, 2).getData().head().toFloatArray()).containsExactly(got);
            assertThat(b.get(m, 2).getData().head().toFloatArray()).containsExactly(second);
            // and going back through DjlDatasets gives the luzj samples again
            LuzjDataset plain = LuzjDataset.builder(data).setSampling(2, false).build();
            SampleDataset roundTrip = DjlDatasets.samples(plain);
            for (int i = 0; i < 5; i++) {
                assertThat(roundTrip.get(i).x().data()).containsExactly(data.get(i).x().data());
                assertThat(roundTrip.get(i).y().data()).containsExactly(data.get(i).y().data());
            }
        }
    }

    @Test
    void aDatasetWithoutSamplingIsRefused() {
        assertThatThrownBy(() -> LuzjDataset.builder(Synthetic.argmaxClasses(4, 4, 3, 1)).build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("setSampling(batchSize, random)");
        assertThatThrownBy(() -> LuzjDataset.builder(null))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("luzj dataset is null");
    }
}
