package io.github.luzj.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.vision.models.ResNet18;
import org.junit.jupiter.api.Test;

/** The backbone's features cached once, then the head trained on them alone. */
class TransferFeatureCacheTest {

    @Test
    void cachedFeaturesAreTheEmbeddingAndTrainingOnThemTrainsTheModelsHead() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            ResNet18 net = Transfer.resnet18(ResnetFixtures.safetensors(), 10, manager);
            NDList ref = ResnetFixtures.reference(manager);
            NDArray x = ref.get("x"); // 4 x 3 x 28 x 28
            float[] xs = x.toFloatArray();
            SampleDataset images =
                    new SampleDataset() {
                        public int size() {
                            return 4;
                        }

                        public Sample get(int i) {
                            float[] img = new float[3 * 28 * 28];
                            System.arraycopy(xs, i * img.length, img, 0, img.length);
                            return new Sample(new FloatTensor(img, new long[] {3, 28, 28}), FloatTensor.scalar(i % 2));
                        }
                    };
            FeatureCache cache =
                    FeatureCache.of(net, DataLoader.builder(images).batchSize(3).shuffle(true).seed(4).build());
            float[] embedding = ref.get("embedding").toFloatArray(); // 4 x 512 x 1 x 1
            for (int i = 0; i < 4; i++) {
                float[] f = cache.get(i).x().data();
                assertThat(f).hasSize(512);
                for (int j = 0; j < 512; j++) {
                    assertThat(f[j]).isCloseTo(embedding[i * 512 + j], org.assertj.core.data.Offset.offset(1e-4f));
                }
                assertThat(cache.get(i).y().data()[0]).isEqualTo(i % 2);
            }
            float[] fcBefore = net.head().getParameters().get(0).getValue().getArray().toFloatArray();
            try (FittedModel head =
                    Luz.setup(net.head(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.1))
                            .fit(FitOptions.builder(DataLoader.builder(cache).batchSize(2).build())
                                    .epochs(3).verbose(false).build())) {
                float[] fcAfter = net.head().getParameters().get(0).getValue().getArray().toFloatArray();
                assertThat(fcAfter).isNotEqualTo(fcBefore);
                // the whole network now predicts with the trained head
                NDArray full = net.forward(new ParameterStore(manager, false), new NDList(x), false).head();
                NDArray viaHead = net.head().forward(new ParameterStore(manager, false),
                        new NDList(net.features(x)), false).head();
                assertThat(ResnetFixtures.maxAbsDiff(full, viaHead)).isLessThan(1e-5f);
            }
        }
    }
}
