package io.github.luzj.djl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.evaluator.Accuracy;
import ai.djl.training.evaluator.TopKAccuracy;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.metric.Metric;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.DjlFixtures;
import io.github.luzj.testing.Synthetic;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

class EvaluatorMetricTest {

    /** The share of rows whose largest output is at the label, counted on the host. */
    private static double handAccuracy(float[] logits, int classes, SampleDataset data) {
        int correct = 0;
        for (int i = 0; i < data.size(); i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (logits[i * classes + c] > logits[i * classes + best]) {
                    best = c;
                }
            }
            if (best == (int) data.get(i).y().data()[0]) {
                correct++;
            }
        }
        return (double) correct / data.size();
    }

    @Test
    void djlAccuracyAtEpochEndEqualsAccuracyCountedByHand() {
        SampleDataset trainData = Synthetic.argmaxClasses(192, 4, 3, 21);
        SampleDataset validData = Synthetic.argmaxClasses(70, 4, 3, 22);
        DataLoader train = DataLoader.builder(trainData).batchSize(32).shuffle(true).build();
        DataLoader valid = DataLoader.builder(validData).batchSize(16).build();
        // few steps at a small rate, so the model is still wrong often and the count is telling
        try (FittedModel fitted =
                        Luz.setup(
                                        DjlFixtures.linear(3),
                                        Loss.softmaxCrossEntropyLoss(),
                                        Optimizers.sgd().lr(0.01),
                                        DjlMetrics.of(new Accuracy()))
                                .fit(
                                        FitOptions.builder(train)
                                                .valid(valid)
                                                .epochs(2)
                                                .verbose(false)
                                                .build());
                NDManager m = NDManager.newBaseManager()) {
            double recorded = fitted.records().last("valid", "accuracy");
            double byHand = handAccuracy(fitted.predict(valid, m).toFloatArray(), 3, validData);
            assertThat(byHand).isBetween(0.05, 0.95);
            // DJL's accumulator is a float ratio
            assertThat(recorded).isCloseTo(byHand, Offset.offset(1e-6));
            assertThat(fitted.evaluate(valid).get("accuracy")).isCloseTo(byHand, Offset.offset(1e-6));
            // train and valid have sums of their own: the train value counts 192 examples
            double trainAcc = fitted.records().last("train", "accuracy");
            assertThat(trainAcc * 192).isCloseTo(Math.rint(trainAcc * 192), Offset.offset(1e-3));
        }
    }

    @Test
    void eachAccumulatorKeepsItsOwnSumsAndResets() {
        Metric acc = DjlMetrics.of(new Accuracy());
        assertThat(acc.abbrev()).isEqualTo("accuracy");
        assertThat(acc.displayName()).isEqualTo("Accuracy");
        try (NDManager m = NDManager.newBaseManager()) {
            Metric.Accumulator a = acc.newAccumulator(m);
            Metric.Accumulator b = acc.newAccumulator(m);
            NDArray logits = m.create(new float[] {1, 0, 0, 1, 1, 0, 0, 1}, new ai.djl.ndarray.types.Shape(4, 2));
            a.update(new NDList(logits), new NDList(m.create(new float[] {0, 1, 0, 1})));
            b.update(new NDList(logits), new NDList(m.create(new float[] {1, 0, 0, 0})));
            assertThat(a.compute()).isEqualTo(1.0);
            assertThat(b.compute()).isEqualTo(0.25);
            a.reset();
            assertThat(a.compute()).isNaN();
            assertThat(b.compute()).isEqualTo(0.25);
        }
    }

    @Test
    void configurationEvaluatorsAndBadNames() {
        DefaultTrainingConfig config =
                new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                        .addEvaluator(new Accuracy())
                        .addEvaluator(new TopKAccuracy(2));
        Metric[] metrics = DjlMetrics.fromConfig(config);
        assertThat(metrics).extracting(Metric::abbrev).containsExactly("accuracy", "top_2_accuracy");
        assertThat(DjlMetrics.of(new Accuracy(), "acc").abbrev()).isEqualTo("acc");
        assertThatThrownBy(() -> DjlMetrics.of(new Accuracy(), "loss"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("other than \"loss\", got \"loss\"");
        assertThatThrownBy(() -> DjlMetrics.of(null))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("evaluator is null");
    }
}
