package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A step frees every array it makes: temporaries, scalar operands and the gradient handles of
 * {@code getGradient()}. The parameters' manager holds the parameters and the optimizer's state,
 * and nothing more, however many steps run.
 */
class MemoryTest {

    static Stream<Arguments> specs() {
        return Stream.of(
                // Adam's two moments and its scratch space per parameter are views of three arrays
                // per group (FlatMoments); its numbers go to its script as plain values
                // (AdamScript). SGD's four numbers are one array per group and a view of it for
                // each (StepScalars)
                Arguments.of("adam+l2", Optimizers.adam().weightDecay(1e-2), 3, 3),
                Arguments.of("adamw", Optimizers.adamW(), 3, 3),
                Arguments.of(
                        "sgd nesterov+wd",
                        Optimizers.sgd().momentum(0.9).nesterov(true).weightDecay(1e-3),
                        1,
                        1 + 4),
                Arguments.of(
                        "sgd dampening+wd",
                        Optimizers.sgd().momentum(0.9).dampening(0.3).weightDecay(1e-3),
                        1,
                        1 + 4),
                Arguments.of("sgd plain", Optimizers.sgd(), 0, 1 + 4),
                // z and the second moment per parameter; eight numbers
                Arguments.of("schedule-free", Optimizers.scheduleFreeAdamW().weightDecay(1e-2), 2, 1 + 8));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void managedArraysStayFlatOverManySteps(
            String name, OptimizerSpec spec, int statePerParam, int statePerGroup) {
        try (Params params = new Params()) {
            Parameter a = params.add("a", 1f, 2f, 3f);
            Parameter b = params.add("b", -1f, 0.5f);
            try (LuzOptimizer opt = spec.build(params.byName)) {
                opt.train(); // schedule-free steps at y; the others ignore it
                Map<Parameter, float[]> grads = new LinkedHashMap<>();
                grads.put(a, new float[] {0.1f, -0.2f, 0.3f});
                grads.put(b, new float[] {0.4f, -0.5f});
                params.backward(grads);
                opt.step(); // the first step creates the state
                int afterFirst = params.manager.getManagedArrays().size();
                assertThat(afterFirst).isEqualTo(2 + 2 * statePerParam + statePerGroup);
                for (int i = 0; i < 50; i++) {
                    params.backward(grads);
                    opt.step();
                }
                assertThat(params.manager.getManagedArrays()).hasSize(afterFirst);
            }
            assertThat(params.manager.getManagedArrays()).as("after close").hasSize(2);
        }
    }
}
