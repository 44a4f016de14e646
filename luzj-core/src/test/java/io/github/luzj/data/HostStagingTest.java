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
}
