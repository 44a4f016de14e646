package io.github.luzj.fit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ParameterSnapshotTest {

    @Test
    void copyIntoOverwritesNanAndKeepsTheTargetsIdentity() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.create(new float[] {Float.NaN, Float.POSITIVE_INFINITY, 1, 2}, new Shape(2, 2));
            NDArray source = m.create(new float[] {0.5f, -0f, 3, 4}, new Shape(2, 2));
            ParameterSnapshot.copyInto(target, source);
            assertThat(target.toFloatArray()).containsExactly(0.5f, -0f, 3, 4);
            source.set(new float[] {9, 9, 9, 9});
            assertThat(target.toFloatArray()).as("a copy, not a view").containsExactly(0.5f, -0f, 3, 4);
        }
    }

    @Test
    void copyIntoHandlesScalars() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray target = m.create(Float.NaN);
            ParameterSnapshot.copyInto(target, m.create(7f));
            assertThat(target.getShape().isScalar()).isTrue();
            assertThat(target.getFloat()).isEqualTo(7f);
        }
    }
}
