package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import io.github.luzj.base.LuzjException;
import org.junit.jupiter.api.Test;

/** The fused Adam update against the exact, op-by-op one. */
class FusedAdamTest {

    private static final float[] W0 = {0.5f, -1.2f, 2.5f, 0f, 3e-3f, -40f};
    private static final int STEPS = 6;

    /** Gradients of mixed signs and magnitudes, different at every step. */
    private static float[] grad(int step) {
        float[] g = new float[W0.length];
        for (int i = 0; i < g.length; i++) {
            g[i] = (float) (Math.sin(1.3 * step + 0.7 * i) * Math.pow(10, i % 3 - 1));
        }
        return g;
    }

    /** Trains one parameter for {@link #STEPS} steps, beta1 and lr moving as a scheduler would. */
    private static float[][] train(OptimizerSpec spec) {
        float[][] trace = new float[STEPS][];
        try (Params params = new Params()) {
            Parameter w = params.add("w", W0);
            try (LuzOptimizer opt = spec.build(params.byName)) {
                for (int t = 0; t < STEPS; t++) {
                    opt.groups().get(0).setLr(0.01 * (1 + t));
                    opt.groups().get(0).setMomentum(0.95 - 0.02 * t);
                    params.backward(w, grad(t));
                    opt.step();
                    trace[t] = Params.values(w);
                    assertThat(w.getArray().getGradient().toFloatArray())
                            .as("the gradient is zeroed after step %d", t + 1)
                            .containsOnly(0f);
                }
            }
        }
        return trace;
    }

    private static void assertAgree(OptimizerSpec exact) {
        float[][] a = train(exact);
        float[][] b = train(exact.fused(true));
        for (int t = 0; t < STEPS; t++) {
            assertThat(b[t]).as("step %d", t + 1).containsExactly(a[t], within(1e-6f));
            assertThat(b[t]).as("step %d moved the weights", t + 1).isNotEqualTo(W0);
        }
    }

    @Test
    void fusedAdamAgreesWithTheExactUpdate() {
        assertAgree(Optimizers.adam());
    }

    @Test
    void fusedAdamWithWeightDecayAgreesWithTheExactUpdate() {
        assertAgree(Optimizers.adam().weightDecay(0.05).eps(1e-3));
    }

    @Test
    void fusedAdamWAgreesWithTheExactUpdate() {
        assertAgree(Optimizers.adamW().weightDecay(0.1));
    }

    @Test
    void fusedIsOffByDefaultAndOnlyForAdam() {
        assertThat(Optimizers.adam().fused()).isFalse();
        assertThat(Optimizers.adam().fused(true).lr(0.1).fused()).isTrue();
        assertThat(Optimizers.adam().fused(true).toString()).contains("fused=True");
        assertThatThrownBy(() -> Optimizers.sgd().fused(true))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("fused applies to Adam and AdamW");
    }
}
