package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Parameter;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Replays PyTorch 1.13's {@code torch.optim} on a 5-element parameter ({@code oracles/
 * optimizers.json}): 8 steps with given gradients, lr, beta1 and momentum set on the group before
 * each step as a scheduler would, every intermediate parameter compared in float32.
 *
 * <p>Besides the absolute tolerance, each value must be within {@value #MAX_ULPS} units in the
 * last place of the largest magnitude its coordinate has had (rounding errors of earlier steps
 * carry over): an algebraically equal but reordered formula (such as DJL's fused Adam, up to
 * 6e-7 off here) fails, while the one rounding PyTorch's CPU kernels save with a fused
 * multiply-add in {@code add_(x, alpha=a)} (3e-8, SGD with momentum) passes.
 */
class OracleTest {

    private static final double TOLERANCE = 1e-6;
    private static final int MAX_ULPS = 2;

    static Stream<Arguments> cases() throws IOException {
        return cases("optimizers.json", 8);
    }

    /** The named cases of an oracle file on the test class path, as (name, case) arguments. */
    static Stream<Arguments> cases(String file, int count) throws IOException {
        try (InputStream in = OracleTest.class.getResourceAsStream("/oracles/" + file)) {
            assertThat(in).as("oracles/%s on the test class path", file).isNotNull();
            JsonObject root =
                    JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8))
                            .getAsJsonObject();
            List<Arguments> out = new ArrayList<>();
            for (JsonElement c : root.getAsJsonArray("cases")) {
                JsonObject o = c.getAsJsonObject();
                out.add(Arguments.of(o.get("name").getAsString(), o));
            }
            assertThat(out).hasSize(count);
            return out.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesPyTorchAtEveryStep(String name, JsonObject c) {
        OptimizerSpec spec = spec(c.getAsJsonObject("optimizer"));
        float[][] grads = matrix(c.getAsJsonArray("grads"));
        float[][] expected = matrix(c.getAsJsonArray("w"));
        try (Params params = new Params()) {
            float[] w0 = floats(c.getAsJsonArray("w0"));
            Parameter w = params.add("w", w0);
            try (LuzOptimizer opt = spec.build(params.byName)) {
                ParamGroup g = opt.groups().get(0);
                double maxDiff = 0;
                float[] scale = w0.clone();
                for (int t = 0; t < grads.length; t++) {
                    if (c.has("lr")) {
                        g.setLr(c.getAsJsonArray("lr").get(t).getAsDouble());
                    }
                    if (c.has("beta1")) {
                        g.setMomentum(c.getAsJsonArray("beta1").get(t).getAsDouble());
                    }
                    if (c.has("momentum")) {
                        g.setMomentum(c.getAsJsonArray("momentum").get(t).getAsDouble());
                    }
                    params.backward(w, grads[t]);
                    opt.step();
                    float[] actual = Params.values(w);
                    for (int i = 0; i < actual.length; i++) {
                        scale[i] = Math.max(Math.abs(scale[i]), Math.abs(expected[t][i]));
                        assertThat((double) actual[i])
                                .as("%s: w[%d][%d]", name, t + 1, i)
                                .isCloseTo(expected[t][i], within(TOLERANCE))
                                .isCloseTo(
                                        expected[t][i],
                                        within((double) MAX_ULPS * Math.ulp(scale[i])));
                        maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[t][i]));
                    }
                }
                System.out.printf("oracle %s: max |diff| = %.3g%n", name, maxDiff);
            }
        }
    }

    /** The optimizer an oracle case names, with its arguments under the reference's names. */
    static OptimizerSpec spec(JsonObject optimizer) {
        JsonObject args = optimizer.getAsJsonObject("args");
        String kind = optimizer.get("name").getAsString();
        OptimizerSpec spec =
                switch (kind) {
                    case "adam" -> Optimizers.adam();
                    case "adamw" -> Optimizers.adamW();
                    case "sgd" -> Optimizers.sgd();
                    case "schedule_free_adamw" -> Optimizers.scheduleFreeAdamW();
                    default -> throw new AssertionError("unknown optimizer " + kind);
                };
        for (String key : args.keySet()) {
            JsonElement v = args.get(key);
            spec =
                    switch (key) {
                        case "lr" -> spec.lr(v.getAsDouble());
                        case "betas" -> spec.betas(
                                v.getAsJsonArray().get(0).getAsDouble(),
                                v.getAsJsonArray().get(1).getAsDouble());
                        case "eps" -> spec.eps(v.getAsDouble());
                        case "weight_decay" -> spec.weightDecay(v.getAsDouble());
                        case "momentum" -> spec.momentum(v.getAsDouble());
                        case "dampening" -> spec.dampening(v.getAsDouble());
                        case "nesterov" -> spec.nesterov(v.getAsBoolean());
                        case "warmup_steps" -> spec.warmupSteps(v.getAsInt());
                        case "r" -> spec.r(v.getAsDouble());
                        case "weight_lr_power" -> spec.weightLrPower(v.getAsDouble());
                        default -> throw new AssertionError("unknown argument " + key);
                    };
        }
        return spec;
    }

    static float[][] matrix(JsonArray rows) {
        float[][] out = new float[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats(rows.get(i).getAsJsonArray());
        }
        return out;
    }

    static float[] floats(JsonArray a) {
        float[] out = new float[a.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = a.get(i).getAsFloat();
        }
        return out;
    }
}
