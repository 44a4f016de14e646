package io.github.luzj.callbacks.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonParser;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Warmup-stable-decay against HF's {@code get_wsd_schedule} worked by hand: 10 steps, 2 of
 * warm-up, decay fraction 0.3 (3 steps), so 5 stable.
 */
class WarmupStableDecayTest {

    private static double[] lrs(WarmupStableDecayLr.Spec spec, int steps) {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.adam());
        LrScheduler s = spec.build(groups);
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = groups.get(0).lr();
            s.step();
        }
        return out;
    }

    private static WarmupStableDecayLr.Spec tenSteps(String decay) {
        return LrSchedulers.warmupStableDecay(2.0)
                .warmupSteps(2)
                .decayFraction(0.3)
                .decayType(decay)
                .totalSteps(10);
    }

    @Test
    void linearCosineAndOneMinusSqrtDecays() {
        double third = 1.0 / 3;
        assertThat(lrs(tenSteps("linear"), 12))
                .containsExactly(
                        new double[] {0, 1, 2, 2, 2, 2, 2, 2, 2 * (1 - third), 2 * third, 0, 0},
                        within(1e-12));
        assertThat(lrs(tenSteps("cosine"), 11))
                .containsExactly(
                        new double[] {0, 1, 2, 2, 2, 2, 2, 2, 2 * 0.75, 2 * 0.25, 0},
                        within(1e-12));
        assertThat(lrs(tenSteps("1-sqrt"), 11))
                .containsExactly(
                        new double[] {
                            0, 1, 2, 2, 2, 2, 2, 2, 2 * (1 - Math.sqrt(third)),
                            2 * (1 - Math.sqrt(2 * third)), 0
                        },
                        within(1e-12));
    }

    @Test
    void minLrRatioLiftsBothEndsAndTheWarmUpTakesItsShape() {
        assertThat(lrs(tenSteps("linear").minLrRatio(0.1), 11))
                .containsExactly(
                        new double[] {0.2, 1.1, 2, 2, 2, 2, 2, 2, 1.4, 2 * (0.9 * third() + 0.1),
                            0.2},
                        within(1e-12));
        assertThat(lrs(tenSteps("linear").warmupType("cosine").warmupSteps(4), 4))
                .containsExactly(
                        new double[] {0, 2 * 0.5 * (1 - Math.cos(Math.PI / 4)), 1,
                            2 * 0.5 * (1 - Math.cos(3 * Math.PI / 4))},
                        within(1e-12));
    }

    private static double third() {
        return 1.0 / 3;
    }

    @Test
    void epochsTimesStepsPerEpochAndTheSpecFile() {
        WarmupStableDecayLr.Spec fromFit =
                LrSchedulers.warmupStableDecay(2.0)
                        .warmupSteps(2)
                        .decayFraction(0.3)
                        .decayType("linear")
                        .epochs(2)
                        .withDefaultStepsPerEpoch(5);
        assertThat(lrs(fromFit, 11)).containsExactly(lrs(tenSteps("linear"), 11), within(0.0));
        SchedulerSpec parsed =
                ScheduleSpecs.scheduler(
                        JsonParser.parseString(
                                        "{\"kind\": \"WarmupStableDecayLR\", \"args\": {\"max_lr\":"
                                                + " 2.0, \"warmup_steps\": 2, \"decay_fraction\":"
                                                + " 0.3, \"decay_type\": \"linear\","
                                                + " \"total_steps\": 10}}")
                                .getAsJsonObject());
        assertThat(parsed.kind()).isEqualTo("WarmupStableDecayLR");
        assertThat(lrs((WarmupStableDecayLr.Spec) parsed, 11))
                .containsExactly(lrs(tenSteps("linear"), 11), within(0.0));
    }

    @Test
    void badSettingsAreNamed() {
        assertThatThrownBy(() -> LrSchedulers.warmupStableDecay(0.1).decayType("step"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("decay_type must be one of 1-sqrt, cosine, linear, got 'step'");
        assertThatThrownBy(() -> LrSchedulers.warmupStableDecay(0.1).decayFraction(1.5))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("decay_fraction");
        assertThatThrownBy(
                        () -> LrSchedulers.warmupStableDecay(0.1)
                                .warmupSteps(8)
                                .decayFraction(0.5)
                                .totalSteps(10)
                                .build(TestGroups.groups(Optimizers.adam())))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("exceed its 10 steps");
        // a warm-up whose sum with the decay passes Integer.MAX_VALUE must not wrap around
        assertThatThrownBy(
                        () -> LrSchedulers.warmupStableDecay(0.01)
                                .warmupSteps(Integer.MAX_VALUE - 5)
                                .totalSteps(100)
                                .build(TestGroups.groups(Optimizers.adam())))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("exceed its 100 steps");
        assertThatThrownBy(
                        () -> LrSchedulers.warmupStableDecay(0.1)
                                .build(TestGroups.groups(Optimizers.adam())))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("needs total_steps");
    }
}
