package io.github.luzj.loss;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.loss.Loss;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

/** Each loss against torch's formula, computed by hand here (torch's documented definitions). */
class LossesTest {

    static double eval(Loss loss, float[] pred, Shape predShape, float[] label, Shape labelShape) {
        try (NDManager m = NDManager.newBaseManager()) {
            return loss.evaluate(
                            new NDList(m.create(label, labelShape)),
                            new NDList(m.create(pred, predShape)))
                    .getFloat();
        }
    }

    @Test
    void mseIsTheMeanSquaredErrorNotHalfOfIt() {
        // torch.nn.MSELoss()(tensor([[1.],[2.],[4.]]), tensor([[0.],[2.],[1.]])) = (1 + 0 + 9) / 3
        double v = eval(Losses.mse(), new float[] {1, 2, 4}, new Shape(3, 1),
                new float[] {0, 2, 1}, new Shape(3));
        assertThat(v).isCloseTo(10.0 / 3, Offset.offset(1e-6));
        assertThat(Losses.mse().getName()).isEqualTo("mse");
    }

    @Test
    void maeIsTheMeanAbsoluteError() {
        double v = eval(Losses.mae(), new float[] {1, 2, 4}, new Shape(3, 1),
                new float[] {0, 2, 1}, new Shape(3));
        assertThat(v).isCloseTo(4.0 / 3, Offset.offset(1e-6));
        assertThat(Losses.mae().getName()).isEqualTo("mae");
    }

    @Test
    void crossEntropyTakesRawScoresAndClassIndices() {
        float[] scores = {2, 0, -1, 0.5f, 0.5f, 3};
        int[] y = {0, 2};
        double expected = 0;
        for (int i = 0; i < 2; i++) {
            double z = 0;
            for (int c = 0; c < 3; c++) {
                z += Math.exp(scores[i * 3 + c]);
            }
            expected += -(scores[i * 3 + y[i]] - Math.log(z));
        }
        double v = eval(Losses.crossEntropy(), scores, new Shape(2, 3),
                new float[] {0, 2}, new Shape(2));
        assertThat(v).isCloseTo(expected / 2, Offset.offset(1e-6));
        assertThat(Losses.crossEntropy().getName()).isEqualTo("cross_entropy");
    }

    @Test
    void bceWithLogitsIsTheStableBinaryCrossEntropyOfTheSigmoid() {
        float[] logits = {3, -2, 0.5f, -40};
        float[] y = {1, 0, 0, 1};
        double expected = 0;
        for (int i = 0; i < 4; i++) {
            double p = 1 / (1 + Math.exp(-logits[i]));
            expected += y[i] == 1 ? -Math.log(p) : -Math.log(1 - p);
        }
        double v = eval(Losses.bceWithLogits(), logits, new Shape(4, 1), y, new Shape(4));
        assertThat(v).isCloseTo(expected / 4, Offset.offset(1e-5));
        assertThat(Losses.bceWithLogits().getName()).isEqualTo("bce_with_logits");
    }
}
