package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import com.google.gson.JsonObject;
import io.github.luzj.base.LuzjException;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays facebookresearch/schedule_free's {@code AdamWScheduleFree} ({@code oracles/
 * schedule_free.json}): 10 steps, each taken in train mode, then the weights compared at y and,
 * after {@code eval()}, at x, in float32 to 1e-6.
 */
class ScheduleFreeOracleTest {

    private static final double TOLERANCE = 1e-6;

    static Stream<Arguments> cases() throws IOException {
        return OracleTest.cases("schedule_free.json", 3);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheReferenceAtYAndX(String name, JsonObject c) {
        OptimizerSpec spec = OracleTest.spec(c.getAsJsonObject("optimizer"));
        float[][] grads = OracleTest.matrix(c.getAsJsonArray("grads"));
        float[][] ys = OracleTest.matrix(c.getAsJsonArray("y"));
        float[][] xs = OracleTest.matrix(c.getAsJsonArray("x"));
        try (Params params = new Params()) {
            Parameter w = params.add("w", OracleTest.floats(c.getAsJsonArray("w0")));
            try (LuzOptimizer opt = spec.build(params.byName)) {
                assertThat(opt.isScheduleFree()).isTrue();
                double maxDiff = 0;
                for (int t = 0; t < grads.length; t++) {
                    opt.train();
                    params.backward(w, grads[t]);
                    opt.step();
                    maxDiff = Math.max(maxDiff, check(name, "y", t, Params.values(w), ys[t]));
                    opt.eval();
                    maxDiff = Math.max(maxDiff, check(name, "x", t, Params.values(w), xs[t]));
                }
                System.out.printf("schedule-free oracle %s: max |diff| = %.3g%n", name, maxDiff);
            }
        }
    }

    @Test
    void stateRoundTripContinuesExactly() throws IOException {
        OptimizerSpec spec = Optimizers.scheduleFreeAdamW().lr(0.02).warmupSteps(3).weightDecay(0.1);
        float[] w0 = {0.3f, -0.2f, 1.1f};
        float[][] grads = {{0.5f, -1f, 0.2f}, {-0.3f, 0.4f, 0.9f}, {1.2f, 0.1f, -0.6f},
            {0.7f, -0.8f, 0.3f}};
        float[] straight;
        try (Params params = new Params()) {
            Parameter w = params.add("w", w0.clone());
            try (LuzOptimizer opt = spec.build(params.byName)) {
                for (float[] g : grads) {
                    opt.train();
                    params.backward(w, g);
                    opt.step();
                    opt.eval();
                }
                straight = Params.values(w);
            }
        }
        try (Params params = new Params()) {
            Parameter w = params.add("w", w0.clone());
            byte[] saved;
            float[] atX;
            try (LuzOptimizer opt = spec.build(params.byName)) {
                for (int t = 0; t < 2; t++) {
                    opt.train();
                    params.backward(w, grads[t]);
                    opt.step();
                    opt.eval();
                }
                ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                opt.saveState(new DataOutputStream(bytes));
                saved = bytes.toByteArray();
                atX = Params.values(w);
            }
            try (Params again = new Params()) {
                Parameter w2 = again.add("w", atX);
                try (LuzOptimizer opt = spec.build(again.byName)) {
                    opt.loadState(new DataInputStream(new ByteArrayInputStream(saved)));
                    assertThat(opt.isTrainMode()).isFalse();
                    for (int t = 2; t < grads.length; t++) {
                        opt.train();
                        again.backward(w2, grads[t]);
                        opt.step();
                        opt.eval();
                    }
                    assertThat(Params.values(w2)).containsExactly(straight);
                }
            }
        }
    }

    @Test
    void stepInEvalModeAndWrongSettersFailClearly() {
        try (Params params = new Params()) {
            Parameter w = params.add("w", 1f, 2f);
            try (LuzOptimizer opt = Optimizers.scheduleFreeAdamW().build(params.byName)) {
                params.backward(w, 1f, 1f);
                assertThatThrownBy(opt::step)
                        .isInstanceOf(LuzjException.class)
                        .hasMessageContaining("optimizer.train()");
            }
        }
        assertThatThrownBy(() -> Optimizers.adam().warmupSteps(3))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("Optimizers.scheduleFreeAdamW()");
        assertThatThrownBy(() -> Optimizers.scheduleFreeAdamW().r(-1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("r must be");
        assertThatThrownBy(() -> Optimizers.scheduleFreeAdamW().fused(true))
                .isInstanceOf(LuzjException.class);
        assertThat(Optimizers.scheduleFreeAdamW().toString())
                .isEqualTo(
                        "AdamWScheduleFree(lr=0.0025, betas=(0.9, 0.999), eps=1.0E-8,"
                                + " weight_decay=0.0, warmup_steps=0, r=0.0, weight_lr_power=2.0)");
    }

    private static double check(String name, String point, int t, float[] actual, float[] want) {
        double maxDiff = 0;
        for (int i = 0; i < actual.length; i++) {
            assertThat((double) actual[i])
                    .as("%s: %s[%d][%d]", name, point, t, i)
                    .isCloseTo(want[i], within(TOLERANCE));
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - want[i]));
        }
        return maxDiff;
    }
}
