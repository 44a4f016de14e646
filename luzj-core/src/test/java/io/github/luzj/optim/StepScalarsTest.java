package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The step's numbers as shared-memory operands give the floats DJL's number operands give, follow
 * every new value, and fall back to fresh arrays where memory is not shared.
 */
class StepScalarsTest {

    /** Numbers that round to float32 (0.1, 1/3, 1 - 0.999), tiny, huge and negative ones. */
    private static final double[] NUMBERS = {
        0.1, 1.0 / 3, 1 - 0.999, 1e-8, 0.9, -1e-3 / (1 - Math.pow(0.9, 7)), 3.0e38, 1e-45, -2.5
    };

    @Test
    void onTheCpuTheOperandsShareTheBufferAndGiveTheFloatsOfNumberOperands() {
        for (DataType type : new DataType[] {DataType.FLOAT32, DataType.FLOAT64}) {
            try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
                NDArray x = manager.randomNormal(new Shape(1000)).toType(type, false);
                StepScalars numbers = StepScalars.of(x, 2, keepIn(manager));
                assertThat(numbers.shared()).as(type.toString()).isTrue();
                for (double n : NUMBERS) {
                    assertSame(x.mul(n), x.mul(numbers.operand(0, n, x)), type + " * " + n);
                    assertSame(x.div(-n), x.div(numbers.operand(1, -n, x)), type + " / " + -n);
                    assertSame(x.add(n), x.add(numbers.operand(0, n, x)), type + " + " + n);
                }
                numbers.close();
            }
        }
    }

    @Test
    void anOperandHoldsTheLastValueWrittenToItsSlotOnly() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = manager.create(new float[] {2f, 4f});
            StepScalars numbers = StepScalars.of(x, 2, keepIn(manager));
            NDArray a = numbers.operand(0, 0.5, x);
            NDArray b = numbers.operand(1, 3, x);
            assertThat(x.mul(a).toFloatArray()).containsExactly(1f, 2f);
            numbers.operand(0, 0.25, x);
            assertThat(x.mul(a).toFloatArray()).containsExactly(0.5f, 1f);
            assertThat(x.mul(b).toFloatArray()).containsExactly(6f, 12f);
        }
    }

    @Test
    void anotherTypeGetsAFreshNumberArrayThatTheStepsScopeFrees() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray half = manager.create(new float[] {2f, 4f}).toType(DataType.FLOAT16, false);
            StepScalars numbers = StepScalars.of(half, 1, keepIn(manager));
            assertThat(numbers.shared()).isFalse();
            int before = manager.getManagedArrays().size();
            try (NDScope ignored = new NDScope()) {
                NDArray product = half.mul(numbers.operand(0, 0.5, half));
                assertThat(product.toType(DataType.FLOAT32, false).toFloatArray())
                        .containsExactly(1f, 2f);
            }
            assertThat(manager.getManagedArrays()).hasSize(before);

            NDArray single = manager.create(new float[] {2f, 4f});
            StepScalars forSingle = StepScalars.of(single, 1, keepIn(manager));
            NDArray wide = manager.create(new double[] {2, 4});
            assertThat(wide.mul(forSingle.operand(0, 0.1, wide)).toDoubleArray())
                    .as("an operand for float64 from float32's scalars")
                    .containsExactly(0.2, 0.4);
        }
    }

    @Test
    void aGroupsScalarsAreMadeAgainOnceTheStateThatHeldThemIsFreed() {
        try (NDManager manager = NDManager.newBaseManager(Device.cpu())) {
            NDArray x = manager.create(new float[] {2f});
            ParamGroup group =
                    new ParamGroup("default", Map.of(), true, 1e-3, 0.9, 0.999, 1e-8, 0, 0, false);
            StepScalars.ByGroup byGroup = new StepScalars.ByGroup(1);
            NDManager state = manager.newSubManager();
            StepScalars first = byGroup.of(group, x, keepIn(state));
            assertThat(byGroup.of(group, x, keepIn(state))).isSameAs(first);
            state.close();
            StepScalars second = byGroup.of(group, x, keepIn(manager));
            assertThat(second).isNotSameAs(first);
            assertThat(x.mul(second.operand(0, 3, x)).toFloatArray()).containsExactly(6f);
        }
    }

    private static UnaryOperator<NDArray> keepIn(NDManager manager) {
        return a -> {
            NDScope.unregister(a);
            a.attach(manager);
            return a;
        };
    }

    private static void assertSame(NDArray expected, NDArray actual, String what) {
        if (expected.getDataType() == DataType.FLOAT64) {
            assertThat(actual.toDoubleArray()).as(what).containsExactly(expected.toDoubleArray());
        } else {
            assertThat(actual.toFloatArray()).as(what).containsExactly(expected.toFloatArray());
        }
    }
}
