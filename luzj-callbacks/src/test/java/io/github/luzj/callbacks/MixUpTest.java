package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class MixUpTest {

    /** What one batch looked like before the mixup and after the loss. */
    private static final class Batch {
        long key;
        float[] x;
        float[] y;
        float[] mixedX;
        float[] pred;
        double loss;
    }

    /** Copies each batch before MixUp (weight -1) and after the loss (weight 1). */
    private static final class Probe implements Callback {
        final List<Batch> batches = new ArrayList<>();
        private final boolean valid;

        Probe(boolean valid) {
            this.valid = valid;
        }

        @Override
        public Set<Phase> callOn() {
            return valid ? EnumSet.of(Phase.VALID_BATCH_BEGIN, Phase.VALID_BATCH_AFTER_LOSS)
                    : EnumSet.of(Phase.TRAIN_BATCH_BEGIN, Phase.TRAIN_BATCH_AFTER_LOSS);
        }

        @Override
        public int weight() {
            return 0; // order is set by where it sits relative to the MixUp, see below
        }

        @Override
        public void on(Phase phase, Context ctx) {
            if (phase == Phase.TRAIN_BATCH_BEGIN || phase == Phase.VALID_BATCH_BEGIN) {
                Batch b = new Batch();
                b.key = MixUp.key(phase, ctx);
                b.x = ctx.input().head().toFloatArray();
                b.y = ctx.target().head().toFloatArray();
                batches.add(b);
            } else {
                Batch b = batches.get(batches.size() - 1);
                b.mixedX = ctx.input().head().toFloatArray();
                b.pred = ctx.pred().head().toFloatArray();
                b.loss = ctx.loss().getFloat();
            }
        }
    }

    /** DJL's L2 loss: half the mean squared error. */
    private static double l2(float[] pred, float[] y, int[] order) {
        double s = 0;
        for (int i = 0; i < pred.length; i++) {
            double d = pred[i] - y[order[i]];
            s += d * d;
        }
        return 0.5 * s / pred.length;
    }

    private static void assertMixed(Batch b, MixUp.Draw d, int features) {
        int n = d.permutation().length;
        int[] identity = new int[n];
        Arrays.setAll(identity, i -> i);
        double expectedLoss = 0;
        for (int i = 0; i < n; i++) {
            float w = d.weights()[d.weights().length == 1 ? 0 : i];
            for (int j = 0; j < features; j++) {
                float x1 = b.x[i * features + j];
                float x2 = b.x[d.permutation()[i] * features + j];
                assertThat(b.mixedX[i * features + j]).isCloseTo(x1 + w * (x2 - x1), within(1e-5f));
            }
            if (d.weights().length > 1) {
                double l1 = l2(new float[] {b.pred[i]}, new float[] {b.y[i]}, new int[] {0});
                double l2 = l2(new float[] {b.pred[i]},
                        new float[] {b.y[d.permutation()[i]]}, new int[] {0});
                expectedLoss += (l1 + w * (l2 - l1)) / n;
            }
        }
        if (d.weights().length == 1) {
            double l1 = l2(b.pred, b.y, identity);
            double l2 = l2(b.pred, b.y, d.permutation());
            expectedLoss = l1 + d.weights()[0] * (l2 - l1);
        }
        assertThat(b.loss).isCloseTo(expectedLoss, within(1e-5 * (1 + expectedLoss)));
    }

    private static List<Batch> fit(MixUp mixup, boolean valid) {
        Probe before = new Probe(valid);
        Probe after = new Probe(valid);
        // same weight: the user's order decides, so before, mixup, after
        try (FittedModel ignored = Fixtures.linear(Optimizers.sgd().lr(0.05)).fit(
                FitOptions.builder(Fixtures.loader(Fixtures.regression(32, 4), 8, true))
                        .valid(Fixtures.loader(Fixtures.regression(16, 5), 8, false))
                        .epochs(2).verbose(false).callbacks(before, mixup, after).build())) {
            for (int i = 0; i < before.batches.size(); i++) {
                before.batches.get(i).mixedX = after.batches.get(i).mixedX;
                before.batches.get(i).pred = after.batches.get(i).pred;
                before.batches.get(i).loss = after.batches.get(i).loss;
            }
            return before.batches;
        }
    }

    @Test
    void mixesInputsAndLossesWithOneWeightPerBatch() {
        MixUp mixup = LuzCallbacks.mixup(ai.djl.training.loss.Loss.l2Loss()).alpha(0.4).seed(7);
        List<Batch> batches = fit(mixup, false);
        assertThat(batches).hasSize(8);
        for (Batch b : batches) {
            MixUp.Draw d = MixUp.draw(7, b.key, 8, 0.4, false);
            assertMixed(b, d, 3);
            assertThat(b.mixedX).isNotEqualTo(b.x);
        }
        assertThat(batches).extracting(b -> b.key).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    @Test
    void mixesWithOneWeightPerExampleAsLuzDoes() {
        MixUp mixup = LuzCallbacks.mixup(ai.djl.training.loss.Loss.l2Loss()).perExample(true);
        for (Batch b : fit(mixup, false)) {
            assertMixed(b, MixUp.draw(1, b.key, 8, 0.4, true), 3);
        }
    }

    @Test
    void leavesValidationAloneUnlessAsked() {
        MixUp quiet = LuzCallbacks.mixup(ai.djl.training.loss.Loss.l2Loss());
        assertThat(quiet.callOn())
                .containsExactlyInAnyOrder(Phase.TRAIN_BATCH_BEGIN, Phase.TRAIN_BATCH_AFTER_LOSS);
        for (Batch b : fit(quiet, true)) {
            assertThat(b.mixedX).isEqualTo(b.x);
        }
        for (Batch b : fit(quiet.runValid(true), true)) {
            assertThat(b.key).isNegative();
            assertMixed(b, MixUp.draw(1, b.key, 8, 0.4, false), 3);
        }
    }

    @Test
    void drawsAreReproduciblePerBatchAndFollowLuz() {
        MixUp.Draw a = MixUp.draw(3, 41, 16, 0.4, true);
        MixUp.Draw b = MixUp.draw(3, 41, 16, 0.4, true);
        assertThat(a.permutation()).isEqualTo(b.permutation());
        assertThat(a.weights()).isEqualTo(b.weights());
        assertThat(MixUp.draw(3, 42, 16, 0.4, true).permutation()).isNotEqualTo(a.permutation());
        assertThat(MixUp.draw(4, 41, 16, 0.4, true).permutation()).isNotEqualTo(a.permutation());
        assertThat(Arrays.stream(a.permutation()).sorted().toArray())
                .isEqualTo(java.util.stream.IntStream.range(0, 16).toArray());
        // max(w, 1 - w) of a uniform draw (alpha 1) is uniform on [0.5, 1]: mean 0.75
        double sum = 0;
        for (int k = 0; k < 4000; k++) {
            float w = MixUp.draw(9, k, 2, 1.0, false).weights()[0];
            assertThat(w).isBetween(0.5f, 1f);
            sum += w;
        }
        assertThat(sum / 4000).isCloseTo(0.75, within(0.01));
    }

    @Test
    void betaDrawsHaveTheRightMeanAndVariance() {
        SplittableRandom rng = new SplittableRandom(5);
        for (double alpha : new double[] {0.2, 0.4, 2.0}) {
            int n = 20000;
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < n; i++) {
                double v = BetaSampler.beta(rng, alpha, alpha);
                assertThat(v).isBetween(0.0, 1.0);
                s += v;
                s2 += v * v;
            }
            double mean = s / n;
            double var = s2 / n - mean * mean;
            assertThat(mean).as("alpha %s", alpha).isCloseTo(0.5, within(0.01));
            // Beta(a, a) has variance 1 / (4 (2a + 1))
            assertThat(var).as("alpha %s", alpha)
                    .isCloseTo(1 / (4 * (2 * alpha + 1)), within(0.005));
        }
    }

    @Test
    void leavesNoArrayBehind() {
        List<Integer> counts = new ArrayList<>();
        MixUp mixup = LuzCallbacks.mixup(ai.djl.training.loss.Loss.softmaxCrossEntropyLoss())
                .perExample(true);
        try (FittedModel ignored = Fixtures.fitClasses(
                Fixtures.classifier(), 2, false, mixup, Fixtures.arrayCounter(counts))) {
            Fixtures.assertFlat(counts);
        }
    }

    @Test
    void argumentErrorsNameTheArgumentAndTheValue() {
        assertThatThrownBy(() -> LuzCallbacks.mixup(ai.djl.training.loss.Loss.l2Loss()).alpha(0))
                .isInstanceOf(LuzjException.class)
                .hasMessage("alpha must be a finite number > 0, got 0");
        assertThatThrownBy(() -> LuzCallbacks.mixup(null))
                .isInstanceOf(LuzjException.class)
                .hasMessage("loss is null; pass a loss, or use create()");
    }

    @Test
    void withoutALossItMixesWithTheOneTheModelWasSetUpWith() {
        // the model is set up with DJL's L2 loss, which assertMixed recomputes by hand
        for (Batch b : fit(LuzCallbacks.mixup(), false)) {
            assertThat(b.mixedX).isNotEqualTo(b.x);
            assertMixed(b, MixUp.draw(1, b.key, 8, 0.4, false), 3);
        }
    }
}
