package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Update rules checked against values worked out by hand from PyTorch's formulas. */
class RulesTest {

    private static final double TOL = 1e-6;

    @Test
    void firstAdamStepMovesEveryCoordinateByLrTimesSignOfGradient() {
        // m/(1-b1) = g and sqrt(v/(1-b2)) = |g| at t = 1, so the step is lr * g / (|g| + eps)
        float[] w0 = {0.5f, -1f, 2f, 0f, 3f, -0.25f};
        float[] g = {1e-3f, 5f, -2f, 0.5f, -100f, 0f};
        try (Params params = new Params()) {
            Parameter w = params.add("w", w0);
            try (LuzOptimizer opt = Optimizers.adam().lr(0.01).build(params.byName)) {
                params.backward(w, g);
                opt.step();
            }
            float[] w1 = Params.values(w);
            for (int i = 0; i < w0.length; i++) {
                assertThat((double) w1[i])
                        .as("coordinate %d", i)
                        .isCloseTo(w0[i] - 0.01 * Math.signum(g[i]), within(TOL));
            }
        }
    }

    @Test
    void adamBiasCorrectionUsesTheCurrentBeta1() {
        // constant g, beta1 0.9 then 0.8: m2 = g (1 - 0.9 * 0.8), corrected by 1 - 0.8^2, while
        // beta2 stays fixed so that sqrt(v2 / (1 - beta2^2)) = |g|
        try (Params params = new Params()) {
            Parameter w = params.add("w", 1f, -1f);
            try (LuzOptimizer opt =
                    Optimizers.adam().lr(0.1).betas(0.9, 0.999).build(params.byName)) {
                params.backward(w, 2f, -0.5f);
                opt.step();
                float[] w1 = Params.values(w);
                opt.groups().get(0).setMomentum(0.8);
                params.backward(w, 2f, -0.5f);
                opt.step();
                float[] w2 = Params.values(w);
                double step = 0.1 * (1 - 0.9 * 0.8) / (1 - 0.8 * 0.8);
                assertThat((double) w2[0]).isCloseTo(w1[0] - step, within(TOL));
                assertThat((double) w2[1]).isCloseTo(w1[1] + step, within(TOL));
            }
        }
    }

    @Test
    void adamWeightDecayIsAddedToTheGradient() {
        // g = 0, so the gradient is wd * w and the first step is lr * sign(w)
        try (Params params = new Params()) {
            Parameter w = params.add("w", 1f, -2f);
            try (LuzOptimizer opt =
                    Optimizers.adam().lr(0.01).weightDecay(0.1).build(params.byName)) {
                params.backward(w, 0f, 0f);
                opt.step();
            }
            assertThat(Params.values(w))
                    .containsExactly(new float[] {0.99f, -1.99f}, within(1e-6f));
        }
    }

    @Test
    void adamWDecaysTheWeightsApartFromTheGradient() {
        // g = 0 keeps the moments at 0, so only w * (1 - lr * wd) remains
        try (Params params = new Params()) {
            Parameter w = params.add("w", 1f, -2f);
            try (LuzOptimizer opt =
                    Optimizers.adamW().lr(0.1).weightDecay(0.5).build(params.byName)) {
                params.backward(w, 0f, 0f);
                opt.step();
            }
            assertThat(Params.values(w))
                    .containsExactly(new float[] {0.95f, -1.9f}, within(1e-6f));
        }
    }

    @Test
    void sgdMomentumTwoSteps() {
        // buf1 = g1; w1 = w0 - lr buf1; buf2 = m buf1 + g2; w2 = w1 - lr buf2
        // coordinate 0: buf 2 -> 0.8, w 1 -> 0.8 -> 0.72
        // coordinate 1: buf 0.4 -> 0.76, w -0.5 -> -0.54 -> -0.616
        float[][] w = sgdTwoSteps(Optimizers.sgd().lr(0.1).momentum(0.9), null);
        assertThat(w[0]).containsExactly(new float[] {0.8f, -0.54f}, within(1e-6f));
        assertThat(w[1]).containsExactly(new float[] {0.72f, -0.616f}, within(1e-6f));
    }

    @Test
    void sgdDampeningSparesTheFirstBuffer() {
        // PyTorch clones d into the buffer at the first step, undampened, then
        // buf2 = m buf1 + (1 - dampening) g2: 1.8 - 0.5 = 1.3 and 0.36 + 0.2 = 0.56
        float[][] w = sgdTwoSteps(Optimizers.sgd().lr(0.1).momentum(0.9).dampening(0.5), null);
        assertThat(w[0]).containsExactly(new float[] {0.8f, -0.54f}, within(1e-6f));
        assertThat(w[1]).containsExactly(new float[] {0.67f, -0.596f}, within(1e-6f));
    }

    @Test
    void sgdNesterovLooksAhead() {
        // d = g + m buf: 2 + 1.8 = 3.8 then -1 + 0.9 * 0.8 = -0.28
        // and 0.4 + 0.36 = 0.76 then 0.4 + 0.9 * 0.76 = 1.084
        float[][] w = sgdTwoSteps(Optimizers.sgd().lr(0.1).momentum(0.9).nesterov(true), null);
        assertThat(w[0]).containsExactly(new float[] {0.62f, -0.576f}, within(1e-6f));
        assertThat(w[1]).containsExactly(new float[] {0.648f, -0.6844f}, within(1e-6f));
    }

    @Test
    void sgdReadsMomentumAtEveryStep() {
        // momentum 0.5 at step 2: buf2 = 0.5 * 2 - 1 = 0 and 0.2 + 0.4 = 0.6
        float[][] w = sgdTwoSteps(Optimizers.sgd().lr(0.1).momentum(0.9), 0.5);
        assertThat(w[1]).containsExactly(new float[] {0.8f, -0.6f}, within(1e-6f));
    }

    private static float[][] sgdTwoSteps(OptimizerSpec spec, Double secondMomentum) {
        try (Params params = new Params()) {
            Parameter w = params.add("w", 1f, -0.5f);
            try (LuzOptimizer opt = spec.build(params.byName)) {
                params.backward(w, 2f, 0.4f);
                opt.step();
                float[] w1 = Params.values(w);
                if (secondMomentum != null) {
                    opt.groups().get(0).setMomentum(secondMomentum);
                }
                params.backward(w, -1f, 0.4f);
                opt.step();
                return new float[][] {w1, Params.values(w)};
            }
        }
    }

    @Test
    void stepZeroesTheGradients() {
        try (Params params = new Params()) {
            Parameter w = params.add("w", 1f, 2f);
            try (LuzOptimizer opt = Optimizers.adam().build(params.byName)) {
                params.backward(w, 3f, Float.NaN);
                opt.step();
                try (PtNDArray grad = JniUtils.getGradient((PtNDArray) w.getArray())) {
                    assertThat(grad.toFloatArray()).containsExactly(0f, 0f);
                }
            }
        }
    }

    @Test
    void parametersNoBackwardReachedAreLeftAlone() {
        // PyTorch skips a parameter whose .grad is None: no move, no state, no step counted
        try (Params params = new Params()) {
            Parameter a = params.add("a", 1f, 2f);
            Parameter b = params.add("b", 3f, 4f);
            try (LuzOptimizer opt = Optimizers.adam().lr(0.1).build(params.byName)) {
                params.backward(a, 1f, 1f);
                opt.step();
                assertThat(Params.values(b)).containsExactly(3f, 4f);
                assertThat(opt.states()).containsKey(a.getId()).doesNotContainKey(b.getId());
                assertThat(opt.states().get(a.getId()).step).isEqualTo(1);
            }
        }
    }

    @Test
    void stepWorksWhileGradModeIsOn() {
        // an open collector turns grad mode on; in-place updates of a leaf need it off
        try (Params params = new Params()) {
            Parameter w = params.add("w", 1f);
            try (LuzOptimizer opt =
                    Optimizers.sgd().lr(0.5).momentum(0.9).weightDecay(0.1).build(params.byName)) {
                params.backward(w, 2f);
                try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                    opt.step();
                    assertThat(JniUtils.isGradMode()).isTrue();
                }
                // d = 2 + 0.1 * 1; w = 1 - 0.5 * 2.1
                assertThat(Params.values(w)[0]).isCloseTo(-0.05f, within(1e-6f));
                assertThat(opt.states().get(w.getId()).momentumBuffer.hasGradient()).isFalse();
            }
        }
    }

    @Test
    void updateFromDjlRejectsForeignParameters() {
        try (Params params = new Params()) {
            Parameter w = params.add("w", 1f);
            try (LuzOptimizer opt = Optimizers.sgd().build(Map.of("w", w))) {
                org.assertj.core.api.Assertions.assertThatThrownBy(
                                () -> opt.update("nope", w.getArray(), w.getArray()))
                        .isInstanceOf(io.github.luzj.base.LuzjException.class)
                        .hasMessageContaining("parameter nope is in no group");
            }
        }
    }
}
