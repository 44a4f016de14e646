package io.github.luzj.base;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import io.github.luzj.data.ChannelsLastWeights;
import org.junit.jupiter.api.Test;

/** The memory-order probe, on arrays whose layout the test made. */
class MemoryOrderTest {

    @Test
    void tellsChannelsLastFromNchwMemory() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray nchw = m.arange(2 * 3 * 4 * 5f).reshape(2, 3, 4, 5);
            NDArray channelsLast = ChannelsLastWeights.copyOf(nchw);
            assertThat(MemoryOrder.channelsLast(nchw)).isFalse();
            assertThat(MemoryOrder.channelsLast(channelsLast)).isTrue();
            // the probe writes nowhere but on its own zeroed array
            assertThat(channelsLast.toFloatArray()).containsExactly(nchw.toFloatArray());
        }
    }

    @Test
    void worksForEveryFloatTypeAndOnTrainableArrays() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (DataType type : new DataType[] {DataType.FLOAT64, DataType.FLOAT16}) {
                NDArray nchw = m.ones(new Shape(3, 2, 2, 2), type);
                NDArray channelsLast = ChannelsLastWeights.copyOf(nchw);
                channelsLast.setRequiresGradient(true);
                assertThat(MemoryOrder.channelsLast(nchw)).as("%s NCHW", type).isFalse();
                assertThat(MemoryOrder.channelsLast(channelsLast)).as("%s NHWC", type).isTrue();
            }
        }
    }

    @Test
    void onlyFourDimensionalArraysHaveChannels() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            assertThat(MemoryOrder.channelsLast(m.ones(new Shape(6)))).isFalse();
            assertThat(MemoryOrder.channelsLast(m.ones(new Shape(2, 3)))).isFalse();
            assertThat(MemoryOrder.channelsLast(m.ones(new Shape(0, 3, 2, 2)))).isFalse();
            // one channel: both orders are the same memory, and either serves
            assertThat(MemoryOrder.channelsLast(m.ones(new Shape(4, 1, 3, 3)))).isTrue();
        }
    }
}
