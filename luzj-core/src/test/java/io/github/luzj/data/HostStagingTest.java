package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class HostStagingTest {

    private static FloatTensor tensor(float start, long... shape) {
        int n = (int) new Shape(shape).size();
        float[] data = new float[n];
        for (int i = 0; i < n; i++) {
            data[i] = start + i;
        }
        return new FloatTensor(data, shape);
    }

    @Test
    void arraysKeepTheirValuesWhenTheBufferIsReused() {
        HostStaging staging = new HostStaging();
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray big = staging.toArray(m, tensor(0, 2, 3, 4));
            NDArray small = staging.toArray(m, tensor(100, 5));
            NDArray again = staging.toArray(m, tensor(-50, 2, 3, 4));

            assertThat(big.getShape()).isEqualTo(new Shape(2, 3, 4));
            assertThat(big.getDataType()).isEqualTo(DataType.FLOAT32);
            assertThat(big.toFloatArray()).containsExactly(tensor(0, 24).data());
            assertThat(small.toFloatArray()).containsExactly(100, 101, 102, 103, 104);
            assertThat(again.toFloatArray()).containsExactly(tensor(-50, 24).data());
        }
    }

    @Test
    void aBatchsFeaturesAndLabelsBothSurvive() {
        HostStaging staging = new HostStaging();
        HostBatch batch = new HostBatch(tensor(1, 2, 1, 2, 2), tensor(7, 2));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = staging.features(batch, m).singletonOrThrow();
            NDArray y = staging.labels(batch, m).singletonOrThrow();
            assertThat(x.toFloatArray()).containsExactly(batch.x().data());
            assertThat(y.toFloatArray()).containsExactly(7, 8);
            assertThat(x.getManager()).isSameAs(m);
            assertThat(m.getManagedArrays()).as("no staged view is left open").hasSize(2);
        }
    }

    @Test
    void imageBatchesKeepTheirShapeAndValuesChannelsLast() {
        HostBatch batch = new HostBatch(tensor(0, 2, 3, 2, 2), tensor(0, 2));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = new HostStaging().features(batch, m).singletonOrThrow();
            assertThat(m.getManagedArrays()).as("no staged view is left open").hasSize(1);
            assertThat(x.getShape()).isEqualTo(new Shape(2, 3, 2, 2));
            assertThat(x.toFloatArray()).containsExactly(batch.x().data());
            assertThat(x.get("1, 2, 1, 0").getFloat()).isEqualTo(batch.x().data()[12 + 8 + 2]);
        }
    }

    @Test
    void imageBatchesAreLaidOutNhwcUnlessSwitchedOff() {
        HostBatch batch = new HostBatch(tensor(0, 1, 2, 1, 3), tensor(0, 1));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray last = new HostStaging().features(batch, m).singletonOrThrow();
            NDArray first = new HostStaging(false).features(batch, m).singletonOrThrow();
            // reshape is a view of a contiguous (NCHW) array and a copy of a channels-last one
            last.reshape(-1).addi(100);
            first.reshape(-1).addi(100);
            assertThat(last.toFloatArray()).containsExactly(0, 1, 2, 3, 4, 5);
            assertThat(first.toFloatArray()).containsExactly(100, 101, 102, 103, 104, 105);
        }
    }

    @Test
    void otherBatchesAreStagedAsTheyAre() {
        HostBatch batch = new HostBatch(tensor(0, 2, 2, 3), tensor(0, 2));
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = new HostStaging().features(batch, m).singletonOrThrow();
            x.reshape(-1).addi(100);
            assertThat(x.toFloatArray()).as("a 3-D batch stays contiguous").containsExactly(tensor(100, 12).data());
        }
    }
}
