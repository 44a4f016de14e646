package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.TensorDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.loss.Losses;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Path;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user's own arrays: fit, predict without labels, plain Java results, save and load. */
class UserDataTest {

    static float[][] points(int n, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] x = new float[n][4];
        for (float[] row : x) {
            for (int j = 0; j < 4; j++) {
                row[j] = (float) rng.nextGaussian();
            }
        }
        return x;
    }

    static int[] argmax3(float[][] x) {
        int[] y = new int[x.length];
        for (int i = 0; i < x.length; i++) {
            for (int j = 1; j < 3; j++) {
                if (x[i][j] > x[i][y[i]]) {
                    y[i] = j;
                }
            }
        }
        return y;
    }

    static SequentialBlock classifier(int outputs) {
        return new SequentialBlock()
                .add(Linear.builder().setUnits(16).build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(outputs).build());
    }

    static DataLoader loader(TensorDataset ds) {
        return DataLoader.builder(ds).batchSize(32).workers(0).build();
    }

    @Test
    void arraysTrainAClassifierThatPredictsUnlabeledRows() {
        float[][] x = points(400, 1);
        int[] y = argmax3(x);
        float[][] test = points(100, 2);
        int[] truth = argmax3(test);
        try (FittedModel fitted =
                Luz.setup(classifier(3), Losses.crossEntropy(), Optimizers.adam().lr(0.02),
                                Metrics.accuracy())
                        .fit(FitOptions.builder(
                                        DataLoader.builder(TensorDataset.of(x, y)).batchSize(32)
                                                .shuffle(true).build())
                                .epochs(15).verbose(false).build())) {
            DataLoader unlabeled = loader(TensorDataset.of(test));
            int[] predicted = fitted.predictClasses(unlabeled);
            int right = 0;
            for (int i = 0; i < truth.length; i++) {
                right += predicted[i] == truth[i] ? 1 : 0;
            }
            assertThat(right).isGreaterThan(85);
            float[][] rows = fitted.predictRows(unlabeled);
            assertThat(rows).hasNumberOfRows(100);
            assertThat(rows[0]).hasSize(3);
            try (NDManager m = NDManager.newBaseManager()) {
                float[] nd = fitted.predict(unlabeled, m).toFloatArray();
                assertThat(rows[7]).containsExactly(java.util.Arrays.copyOfRange(nd, 21, 24));
            }
            assertThatThrownBy(() -> fitted.evaluate(unlabeled))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("no labels")
                    .hasMessageContaining("predict");
        }
    }

    @Test
    void aDjlArrayDatasetWithoutLabelsIsPredictedOn() {
        float[][] x = points(64, 1);
        try (FittedModel fitted =
                        Luz.setup(classifier(3), Losses.crossEntropy(), Optimizers.adam())
                                .fit(FitOptions.builder(loader(TensorDataset.of(x, argmax3(x))))
                                        .epochs(1).verbose(false).build());
                NDManager m = NDManager.newBaseManager()) {
            float[] flat = new float[64 * 4];
            for (int i = 0; i < 64; i++) {
                System.arraycopy(x[i], 0, flat, i * 4, 4);
            }
            ai.djl.training.dataset.ArrayDataset features = new ai.djl.training.dataset.ArrayDataset.Builder()
                    .setData(m.create(flat, new ai.djl.ndarray.types.Shape(64, 4)))
                    .setSampling(16, false)
                    .build();
            float[] fromDjl = fitted.predict(features, m).toFloatArray();
            float[] fromArrays = fitted.predict(loader(TensorDataset.of(x)), m).toFloatArray();
            assertThat(fromDjl).containsExactly(fromArrays);
            assertThatThrownBy(() -> fitted.evaluate(features))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("have no labels");
        }
    }

    @Test
    void fitOnUnlabeledDataSaysSo() {
        assertThatThrownBy(() -> Luz.setup(classifier(3), Losses.crossEntropy(), Optimizers.adam())
                        .fit(loader(TensorDataset.of(points(10, 1))), 1, null))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("training data's examples have no labels");
    }

    @Test
    void regressionLossIsTorchsMseAndEqualsTheMetric() {
        float[][] x = points(200, 3);
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = 2 * x[i][0] - x[i][1] + 0.5f;
        }
        TensorDataset ds = TensorDataset.of(x, y);
        try (FittedModel fitted =
                Luz.setup(classifier(1), Losses.mse(), Optimizers.adam().lr(0.01), Metrics.mse())
                        .fit(FitOptions.builder(loader(ds)).epochs(2).verbose(false).build())) {
            Map<String, Double> eval = fitted.evaluate(loader(ds));
            assertThat(eval.get("loss")).isCloseTo(eval.get("mse"), Offset.offset(1e-4));
            assertThatThrownBy(() -> eval.get("f1"))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("[loss, mse]");
            assertThat(fitted.predictRows(loader(ds))[0]).hasSize(1);
            assertThatThrownBy(() -> fitted.predictClasses(loader(ds)))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("predictRows");
        }
    }

    @Test
    void predictWrapsAShapeErrorAsFitDoes() {
        TensorDataset four = TensorDataset.of(points(64, 1), argmax3(points(64, 1)));
        try (FittedModel fitted =
                Luz.setup(classifier(3), Losses.crossEntropy(), Optimizers.adam())
                        .fit(FitOptions.builder(loader(four)).epochs(1).verbose(false).build())) {
            float[][] five = new float[8][5];
            assertThatThrownBy(() -> fitted.predictRows(loader(TensorDataset.of(five))))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("forward pass failed on input of shape (8, 5)")
                    .hasMessageContaining("first layer");
        }
    }

    @Test
    void loadingIntoAnotherArchitectureNamesTheParameterAndBothShapes(@TempDir Path dir) throws Exception {
        TensorDataset ds = TensorDataset.of(points(64, 1), argmax3(points(64, 1)));
        Path saved = dir.resolve("model");
        float[][] before;
        try (FittedModel fitted =
                Luz.setup(classifier(2), Losses.crossEntropy(), Optimizers.adam())
                        .fit(FitOptions.builder(loader(TensorDataset.of(points(64, 1), new int[64])))
                                .epochs(1).verbose(false).build())) {
            fitted.save(saved);
            before = fitted.predictRows(loader(ds));
        }
        assertThat(java.nio.file.Files.readString(saved.resolve("records.json")))
                .contains("\"loss\": \"cross_entropy\"");
        assertThatThrownBy(() -> Luz.load(saved,
                        Luz.setup(classifier(3), Losses.crossEntropy(), Optimizers.adam())))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("03Linear_weight was saved with shape [2, 16] but the set-up model has [3, 16]")
                .hasMessageContaining("bias was saved with shape [2]");
        try (FittedModel loaded = Luz.load(saved,
                Luz.setup(classifier(2), Losses.crossEntropy(), Optimizers.adam()))) {
            assertThat(loaded.predictRows(loader(ds))).isDeepEqualTo(before);
        }
    }

    @Test
    void recordsRefuseAMetricOrSetThatWasNeverRecorded() {
        TensorDataset ds = TensorDataset.of(points(64, 1), argmax3(points(64, 1)));
        try (FittedModel fitted =
                Luz.setup(classifier(3), Losses.crossEntropy(), Optimizers.adam(), Metrics.accuracy())
                        .fit(FitOptions.builder(loader(ds)).epochs(1).verbose(false).build())) {
            assertThatThrownBy(() -> fitted.records().last("train", "f1"))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("no metric 'f1'")
                    .hasMessageContaining("[loss, acc]");
            assertThatThrownBy(() -> fitted.records().last("valid", "acc"))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("no set 'valid'")
                    .hasMessageContaining("[train]");
            assertThat(fitted.records().has("train", "acc")).isTrue();
            assertThat(fitted.records().last("train", "acc")).isBetween(0.0, 1.0);
        }
    }
}
