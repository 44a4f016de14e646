package io.github.luzj.fit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The direct batch norm is DJL's own {@code BatchNorm} forward, bit for bit: its output, the
 * running statistics it leaves, and the gradients of its input and parameters, in training and
 * without, in channels-last and NCHW memory; it declines what it does not run.
 */
class DirectBatchNormTest {

    /** Everything one forward (and backward, when training) of a batch norm leaves behind. */
    private record Outcome(Map<String, float[]> values) {}

    private static Outcome run(boolean direct, boolean training, boolean channelsLast, float momentum, float eps) {
        BatchNorm norm = BatchNorm.builder().optMomentum(momentum).optEpsilon(eps).build();
        try (Model model = Model.newInstance("norm");
                NDManager m = NDManager.newBaseManager()) {
            model.setBlock(norm);
            norm.setInitializer(Initializer.ONES, Parameter.Type.GAMMA);
            norm.initialize(model.getNDManager(), DataType.FLOAT32, new Shape(4, 6, 5, 5));
            SplittableRandom rng = new SplittableRandom(3);
            for (Pair<String, Parameter> p : norm.getParameters()) {
                NDArray a = p.getValue().getArray();
                float[] v = new float[(int) a.size()];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (p.getKey().equals("runningVar") ? rng.nextDouble(0.5, 2) : rng.nextDouble(-1, 1));
                }
                a.set(v);
            }
            float[] xs = new float[4 * 6 * 5 * 5];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = (float) rng.nextDouble(-3, 3);
            }
            NDArray x = channelsLast
                    ? m.create(xs, new Shape(4, 5, 5, 6)).transpose(0, 3, 1, 2)
                    : m.create(xs, new Shape(4, 6, 5, 5));
            x.setRequiresGradient(true);
            ParameterStore ps = new ParameterStore(m, false);
            ForwardPass.Stage stage = direct ? DirectBatchNorm.stage(norm, ps, training) : null;
            assertThat(direct ? stage : "own forward").as("the direct stage").isNotNull();
            Map<String, float[]> out = new LinkedHashMap<>();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDList in = new NDList(x);
                NDArray y = direct ? stage.run(in).head() : norm.forward(ps, in, training).head();
                out.put("output", y.toFloatArray());
                if (training) {
                    // weights that differ per element, so that every gradient is non-trivial
                    NDArray w = m.arange((float) y.size()).reshape(y.getShape()).sin();
                    gc.backward(y.mul(w).sum());
                    out.put("input gradient", x.getGradient().toFloatArray());
                }
            }
            for (Pair<String, Parameter> p : norm.getParameters()) {
                NDArray a = p.getValue().getArray();
                out.put(p.getKey(), a.toFloatArray());
                if (training && a.hasGradient()) {
                    out.put(p.getKey() + " gradient", a.getGradient().toFloatArray());
                }
            }
            return new Outcome(out);
        }
    }

    private static void assertSame(boolean training, boolean channelsLast) {
        Outcome own = run(false, training, channelsLast, 0.9f, 1e-5f);
        Outcome direct = run(true, training, channelsLast, 0.9f, 1e-5f);
        assertThat(direct.values().keySet()).isEqualTo(own.values().keySet());
        own.values().forEach((k, v) -> assertThat(direct.values().get(k)).as(k).isEqualTo(v));
    }

    @Test
    void inTrainingItIsDjlsForwardAndBackwardBitForBit() {
        assertSame(true, true);
        assertSame(true, false);
        assertThat(run(false, true, true, 0.9f, 1e-5f).values())
                .as("the batch moved the running statistics and gave gradients")
                .containsKeys("input gradient", "gamma gradient", "beta gradient");
    }

    @Test
    void withoutTrainingItIsDjlsForwardBitForBit() {
        assertSame(false, true);
        assertSame(false, false);
    }

    @Test
    void itKeepsTheBlocksMomentumAndEpsilon() {
        // another momentum and epsilon give other statistics and outputs: the stage reads them
        Outcome own = run(false, true, true, 0.7f, 0.3f);
        Outcome direct = run(true, true, true, 0.7f, 0.3f);
        own.values().forEach((k, v) -> assertThat(direct.values().get(k)).as(k).isEqualTo(v));
        assertThat(own.values().get("runningMean"))
                .isNotEqualTo(run(false, true, true, 0.9f, 1e-5f).values().get("runningMean"));
    }

    @Test
    void aBatchNormOverAnotherAxisRunsItsOwnForward() {
        ParameterStore ps = new ParameterStore();
        assertThat(DirectBatchNorm.stage(BatchNorm.builder().optAxis(3).build(), ps, true)).isNull();
        assertThat(DirectBatchNorm.stage(BatchNorm.builder().optAxis(-1).build(), ps, true)).isNull();
        assertThat(DirectBatchNorm.stage(BatchNorm.builder().build(), ps, true)).isNotNull();
    }
}
