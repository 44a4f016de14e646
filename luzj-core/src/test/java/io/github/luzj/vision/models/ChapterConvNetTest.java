package io.github.luzj.vision.models;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ChapterConvNetTest {

    private static List<Pair<String, Parameter>> initialized(SequentialBlock net, NDManager m) {
        Engine.getInstance().setRandomSeed(7);
        net.initialize(m, DataType.FLOAT32, new Shape(2, 1, 28, 28));
        List<Pair<String, Parameter>> out = new ArrayList<>();
        net.getParameters().forEach(out::add);
        return out;
    }

    @Test
    void convolutionsStartFromTorchsDefaultInitialization() {
        int[] fanIn = {1 * 9, 32 * 9, 64 * 9, 128 * 9, 256 * 9};
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            int conv = 0;
            for (Pair<String, Parameter> p : initialized(ChapterConvNet.withBatchNorm(), m)) {
                String name = p.getKey();
                if (!name.contains("Conv2d")) {
                    continue;
                }
                NDArray a = p.getValue().getArray();
                double bound = 1 / Math.sqrt(fanIn[conv]);
                float[] v = a.toFloatArray();
                double max = 0;
                for (float x : v) {
                    max = Math.max(max, Math.abs(x));
                }
                assertThat(max).as("%s within ±1/sqrt(fan_in)", name).isLessThanOrEqualTo(bound);
                if (v.length >= 32) {
                    // uniform draws reach near the bound; He-normal ones would exceed it
                    assertThat(max).as("%s fills its range", name).isGreaterThan(0.8 * bound);
                }
                assertThat(a.abs().sum().getFloat()).as("%s is not zero (torch draws biases too)", name).isPositive();
                if (name.endsWith("bias")) {
                    conv++;
                }
            }
            assertThat(conv).as("five convolutions").isEqualTo(5);
        }
    }

    @Test
    void batchNormalizationOnlyWhereAsked() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            long with = initialized(ChapterConvNet.withBatchNorm(), m).stream()
                    .filter(p -> p.getKey().contains("BatchNorm")).count();
            long without = initialized(ChapterConvNet.withoutBatchNorm(), m).stream()
                    .filter(p -> p.getKey().contains("BatchNorm")).count();
            assertThat(with).as("gamma, beta, running mean and variance of four layers").isEqualTo(16);
            assertThat(without).isZero();
        }
    }
}
