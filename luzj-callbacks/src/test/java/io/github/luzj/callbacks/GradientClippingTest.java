package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GradientClippingTest {

    /** Copies every gradient to the host at the step's eve, before or after the clipping. */
    private static final class GradientProbe implements Callback {
        final List<float[][]> batches = new ArrayList<>();
        private final int weight;

        GradientProbe(int weight) {
            this.weight = weight;
        }

        @Override
        public Set<Phase> callOn() {
            return EnumSet.of(Phase.TRAIN_BATCH_BEFORE_STEP);
        }

        @Override
        public int weight() {
            return weight;
        }

        @Override
        public void on(Phase phase, Context ctx) {
            List<float[]> grads = new ArrayList<>();
            for (ParamGroup g : ctx.optimizer().groups()) {
                for (Parameter p : g.parameters()) {
                    try (NDArray grad = JniUtils.getGradient((PtNDArray) p.getArray())) {
                        grads.add(grad.toFloatArray());
                    }
                }
            }
            batches.add(grads.toArray(float[][]::new));
        }
    }

    /** Fits 2 epochs with the probes around {@code clip}; returns {before, after}. */
    private static GradientProbe[] fit(GradientClipping clip) {
        GradientProbe before = new GradientProbe(-1);
        GradientProbe after = new GradientProbe(1);
        try (FittedModel ignored = Fixtures.fitClasses(
                Fixtures.classifier(Optimizers.sgd().lr(0.5)), 2, false, after, clip, before)) {
            assertThat(before.batches).hasSize(10);
            return new GradientProbe[] {before, after};
        }
    }

    private static double norm(float[][] grads, double p) {
        double s = 0;
        for (float[] g : grads) {
            for (float v : g) {
                s = p == Double.POSITIVE_INFINITY ? Math.max(s, Math.abs(v)) : s + Math.pow(
                        Math.abs(v), p);
            }
        }
        return p == Double.POSITIVE_INFINITY ? s : Math.pow(s, 1 / p);
    }

    private static void assertScaled(GradientProbe[] probes, double maxNorm, double p) {
        int clipped = 0;
        for (int b = 0; b < probes[0].batches.size(); b++) {
            float[][] g0 = probes[0].batches.get(b);
            float[][] g1 = probes[1].batches.get(b);
            double total = norm(g0, p);
            double scale = Math.min(1, maxNorm / (total + 1e-6)); // torch's clip_grad_norm_
            clipped += scale < 1 ? 1 : 0;
            for (int i = 0; i < g0.length; i++) {
                for (int j = 0; j < g0[i].length; j++) {
                    assertThat((double) g1[i][j]).as("batch %d, grad %d[%d]", b, i, j)
                            .isCloseTo(g0[i][j] * scale, within(1e-6 + 1e-5 * Math.abs(g0[i][j])));
                }
            }
            assertThat(norm(g1, p)).isLessThanOrEqualTo(maxNorm * (1 + 1e-5));
        }
        assertThat(clipped).as("batches whose norm was above the limit").isPositive();
    }

    @Test
    void withGradientAccumulationItClipsTheSummedGradient() {
        // k = 2 batches of 4 equal one batch of 8 only if the clip sees their summed gradient
        java.util.function.BiFunction<Integer, Integer, float[][]> fit = (batch, k) -> {
            try (FittedModel m = Fixtures.linear(Optimizers.sgd().lr(0.1))
                    .fit(io.github.luzj.fit.FitOptions.builder(
                                    Fixtures.loader(Fixtures.regression(32, 7), batch, false))
                            .epochs(2)
                            .accumulateGradBatches(k)
                            .callbacks(GradientClipping.byNorm(0.05))
                            .verbose(false)
                            .build())) {
                return Fixtures.parameters(m.block());
            }
        };
        float[][] big = fit.apply(8, 1);
        float[][] accumulated = fit.apply(4, 2);
        float[][] perBatch = fit.apply(4, 1);
        for (int p = 0; p < big.length; p++) {
            for (int i = 0; i < big[p].length; i++) {
                assertThat((double) accumulated[p][i]).isCloseTo(big[p][i], within(1e-5));
            }
        }
        assertThat(perBatch[0]).isNotEqualTo(big[0]);
    }

    @Test
    void scalesAllGradientsByTheTotalL2NormAsPyTorchDoes() {
        assertScaled(fit(LuzCallbacks.gradientClip(0.3, 2)), 0.3, 2);
    }

    @Test
    void otherNormsWork() {
        assertScaled(fit(GradientClipping.byNorm(0.05).normType(Double.POSITIVE_INFINITY)),
                0.05, Double.POSITIVE_INFINITY);
        assertScaled(fit(GradientClipping.byNorm(0.4).normType(1)), 0.4, 1);
        assertScaled(fit(GradientClipping.byNorm(0.3).normType(3)), 0.3, 3);
    }

    @Test
    void gradientsBelowTheLimitAreLeftAlone() {
        GradientProbe[] probes = fit(GradientClipping.byNorm(1e6));
        for (int b = 0; b < probes[0].batches.size(); b++) {
            assertThat(probes[1].batches.get(b)).isDeepEqualTo(probes[0].batches.get(b));
        }
    }

    @Test
    void clampsEveryValueWhenClippingByValue() {
        GradientProbe[] probes = fit(GradientClipping.byValue(0.02));
        int changed = 0;
        for (int b = 0; b < probes[0].batches.size(); b++) {
            float[][] g0 = probes[0].batches.get(b);
            float[][] g1 = probes[1].batches.get(b);
            for (int i = 0; i < g0.length; i++) {
                for (int j = 0; j < g0[i].length; j++) {
                    float want = Math.max(-0.02f, Math.min(0.02f, g0[i][j]));
                    changed += want != g0[i][j] ? 1 : 0;
                    assertThat(g1[i][j]).isEqualTo(want);
                }
            }
        }
        assertThat(changed).isPositive();
    }

    @Test
    void leavesNoArrayBehind() {
        for (GradientClipping clip : List.of(
                GradientClipping.byNorm(0.1), GradientClipping.byValue(0.01))) {
            List<Integer> counts = new ArrayList<>();
            try (FittedModel ignored = Fixtures.fitClasses(
                    Fixtures.classifier(), 2, false, clip, Fixtures.arrayCounter(counts))) {
                assertThat(counts).hasSize(10);
                Fixtures.assertFlat(counts);
            }
        }
    }

    @Test
    void argumentErrorsNameTheArgumentAndTheValue() {
        assertThatThrownBy(() -> GradientClipping.byNorm(0))
                .isInstanceOf(LuzjException.class)
                .hasMessage("maxNorm must be a finite number > 0, got 0");
        assertThatThrownBy(() -> GradientClipping.byValue(Double.POSITIVE_INFINITY))
                .isInstanceOf(LuzjException.class)
                .hasMessage("clipValue must be a finite number > 0, got Infinity");
        assertThatThrownBy(() -> LuzCallbacks.gradientClip(1, -2))
                .isInstanceOf(LuzjException.class)
                .hasMessage("normType must be > 0 (2 for L2, Double.POSITIVE_INFINITY for max),"
                        + " got -2");
        // the clip runs in float, where this limit is 0 and would zero every gradient
        assertThatThrownBy(() -> GradientClipping.byValue(1e-50))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("clipValue must be at least 1.4e-45, the smallest float");
        assertThatThrownBy(() -> GradientClipping.byValue(1).normType(2))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("normType applies to clipping by norm");
    }
}
