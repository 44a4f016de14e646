package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.Pair;
import java.util.ArrayList;
import java.util.List;
import io.github.luzj.base.MemoryOrder;
import io.github.luzj.testing.Layouts;
import org.junit.jupiter.api.Test;

class ChannelsLastWeightsTest {

    private static final Shape INPUT = new Shape(2, 3, 10, 10);

    private static SequentialBlock net() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(6).build())
                .add(Activation::relu)
                .add(BatchNorm.builder().build())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(4).build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(5).build());
    }

    @Test
    void fourDimensionalParametersAreBornChannelsLastWithTheValuesPlainInitializeGives() {
        try (NDManager m = NDManager.newBaseManager()) {
            Engine.getInstance().setRandomSeed(7);
            SequentialBlock plain = net();
            plain.initialize(m, DataType.FLOAT32, INPUT);
            Engine.getInstance().setRandomSeed(7);
            SequentialBlock laidOut = net();
            ChannelsLastWeights.initialize(laidOut, m, DataType.FLOAT32, INPUT);

            List<Pair<String, Parameter>> a = plain.getParameters().stream().toList();
            List<Pair<String, Parameter>> b = laidOut.getParameters().stream().toList();
            assertThat(b).hasSameSizeAs(a);
            int kernels = 0;
            for (int i = 0; i < a.size(); i++) {
                NDArray x = a.get(i).getValue().getArray();
                NDArray y = b.get(i).getValue().getArray();
                assertThat(y.getShape()).as(b.get(i).getKey()).isEqualTo(x.getShape());
                assertThat(y.toFloatArray()).as(b.get(i).getKey()).containsExactly(x.toFloatArray());
                if (x.getShape().dimension() == 4) {
                    kernels++;
                    assertThat(MemoryOrder.channelsLast(y)).as(b.get(i).getKey() + " laid out").isTrue();
                    assertThat(MemoryOrder.channelsLast(x)).as(b.get(i).getKey() + " plain").isFalse();
                } else {
                    assertThat(Layouts.contiguous(y)).as(b.get(i).getKey()).isTrue();
                }
            }
            assertThat(kernels).as("the two convolutions' kernels").isEqualTo(2);
        }
    }

    @Test
    void theParametersKeepTheirOwnInitializersAndTrainable() {
        try (NDManager m = NDManager.newBaseManager()) {
            SequentialBlock block = net();
            List<Initializer> before = new ArrayList<>();
            block.getParameters().forEach(p -> before.add(p.getValue().getInitializer()));
            ChannelsLastWeights.initialize(block, m, DataType.FLOAT32, INPUT);
            List<Pair<String, Parameter>> params = block.getParameters().stream().toList();
            for (int i = 0; i < params.size(); i++) {
                Parameter p = params.get(i).getValue();
                assertThat(p.getInitializer()).as(params.get(i).getKey()).isSameAs(before.get(i));
                assertThat(p.getArray().hasGradient() || !p.requiresGradient())
                        .as(params.get(i).getKey() + " takes gradients")
                        .isTrue();
            }
        }
    }

    @Test
    void aWriteByShapeLandsWhereTheShapeSays() {
        try (NDManager m = NDManager.newBaseManager()) {
            float[] values = new float[2 * 3 * 2 * 2];
            for (int i = 0; i < values.length; i++) {
                values[i] = i;
            }
            NDArray plain = m.create(values, new Shape(2, 3, 2, 2));
            NDArray laidOut = ChannelsLastWeights.copyOf(plain);
            assertThat(laidOut.toFloatArray()).containsExactly(values);
            // pixel (0, 0) of output channel 0 holds its 3 input channels next to each other
            assertThat(laidOut.transpose(0, 2, 3, 1).reshape(-1).toFloatArray())
                    .startsWith(0f, 4f, 8f);
            laidOut.set(new NDIndex("..."), plain);
            assertThat(laidOut.toFloatArray()).containsExactly(values);
            assertThat(MemoryOrder.channelsLast(laidOut)).as("channels-last after set(index)").isTrue();
        }
    }
}
