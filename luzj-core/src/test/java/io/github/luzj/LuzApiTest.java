package io.github.luzj;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LuzApiTest {

    static SequentialBlock net() {
        return new SequentialBlock().add(Linear.builder().setUnits(3).build());
    }

    static DataLoader data(int n, long seed) {
        return DataLoader.builder(Synthetic.argmaxClasses(n, 4, 3, seed))
                .batchSize(16)
                .shuffle(true)
                .build();
    }

    @Test
    void trainingLowersTheLossAndEvaluateMatchesTheLastValidation() {
        DataLoader train = data(256, 1);
        DataLoader valid = DataLoader.builder(Synthetic.argmaxClasses(64, 4, 3, 2)).batchSize(16).build();
        try (FittedModel fitted =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.05))
                        .fit(FitOptions.builder(train).valid(valid).epochs(5).verbose(false).build())) {
            double[] loss = fitted.records().values("train", "loss");
            assertThat(loss[4]).isLessThan(loss[0] * 0.7);
            Map<String, Double> eval = fitted.evaluate(valid);
            assertThat(eval.get("loss"))
                    .isCloseTo(fitted.records().last("valid", "loss"), org.assertj.core.data.Offset.offset(1e-5));
        }
    }

    @Test
    void validFractionHoldsOutThatShare() {
        DataLoader train = data(100, 1);
        try (FittedModel fitted =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .fit(FitOptions.builder(train).validFraction(0.2).epochs(1).verbose(false).build())) {
            // 80 training examples in batches of 16: five steps
            assertThat(fitted.globalStep()).isEqualTo(5);
            assertThat(fitted.records().values("valid", "loss")).hasSize(1);
        }
    }

    @Test
    void savedModelsLoadWithTheSameWeightsAndRecords(@TempDir Path dir) throws Exception {
        DataLoader train = data(64, 3);
        Path saved = dir.resolve("model");
        try (FittedModel fitted =
                        Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                                .fit(FitOptions.builder(train).epochs(2).verbose(false).build());
                NDManager m = NDManager.newBaseManager()) {
            fitted.save(saved);
            fitted.save(saved); // overwriting keeps a complete folder
            NDArray before = fitted.predict(train, m);
            try (FittedModel loaded =
                    Luz.load(saved, Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam()))) {
                NDArray after = loaded.predict(train, m);
                assertThat(after.getShape()).isEqualTo(before.getShape());
                assertThat(after.toFloatArray()).containsExactly(before.toFloatArray());
                assertThat(loaded.records().values("train", "loss"))
                        .containsExactly(fitted.records().values("train", "loss"));
            }
        }
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("model");
        }
    }

    @Test
    void badArgumentsAreNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> Optimizers.adam().lr(-1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("lr must be a finite number > 0, got -1");
        assertThatThrownBy(() -> FitOptions.builder(data(8, 1)).epochs(0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("epochs must be >= 1, got 0");
        assertThatThrownBy(() -> DataLoader.builder(Synthetic.argmaxClasses(8, 4, 3, 1)).batchSize(0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("batch size must be >= 1, got 0");
        assertThatThrownBy(() -> Luz.load(dir.resolve("nothing"), Luz.setup(net(), Loss.l2Loss(), Optimizers.sgd())))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("no saved model at");
    }

    @Test
    void labelsOutOfRangeFailWithAClearMessage() {
        DataLoader bad = DataLoader.builder(Synthetic.argmaxClasses(8, 4, 4, 1)).batchSize(8).build();
        // the network has 3 outputs but labels go up to 3
        assertThatThrownBy(
                        () ->
                                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                                        .fit(FitOptions.builder(bad).epochs(1).verbose(false).build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("labels");
    }

    @Test
    void djlDatasetsFitEvaluateAndPredictThroughTheOverloads() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] xs = new float[64 * 4];
            float[] ys = new float[64];
            java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
            for (int i = 0; i < 64; i++) {
                int best = 0;
                for (int j = 0; j < 4; j++) {
                    xs[i * 4 + j] = (float) rng.nextGaussian();
                    if (j < 3 && xs[i * 4 + j] > xs[i * 4 + best]) {
                        best = j;
                    }
                }
                ys[i] = best;
            }
            ai.djl.training.dataset.ArrayDataset ds =
                    new ai.djl.training.dataset.ArrayDataset.Builder()
                            .setData(m.create(xs, new ai.djl.ndarray.types.Shape(64, 4)))
                            .optLabels(m.create(ys))
                            .setSampling(16, false)
                            .build();
            try (FittedModel fitted =
                    Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.05))
                            .fit(ds, 3, ds)) {
                assertThat(fitted.globalStep()).isEqualTo(12);
                assertThat(fitted.evaluate(ds).get("loss"))
                        .isCloseTo(fitted.records().last("valid", "loss"), org.assertj.core.data.Offset.offset(1e-5));
                assertThat(fitted.predict(ds, m).getShape().get(0)).isEqualTo(64);
            }
        }
    }
}
