package io.github.luzj.callbacks.lr;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every case of PyTorch 1.13's oracle, simulated through {@link ScheduleSpecs} over the groups of
 * a real luzj optimizer, as the scheduler callback steps them.
 */
class OracleScheduleTest {

    static Stream<Arguments> cases() {
        return Oracle.cases().stream().map(c -> Arguments.of(c.get("name").getAsString(), c));
    }

    /** The two Python lambdas of the oracle, written in Java. */
    private static ScheduleCase parse(JsonObject c) {
        String kind = c.getAsJsonObject("scheduler").get("kind").getAsString();
        return switch (kind) {
            case "LambdaLR" -> ScheduleSpecs.parse(c, LrSchedulers.lambda(e -> 1.0 / (1 + e)));
            case "MultiplicativeLR" ->
                    ScheduleSpecs.parse(c, LrSchedulers.multiplicative(e -> 0.95));
            default -> ScheduleSpecs.parse(c);
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void reproducesPyTorch(String name, JsonObject c) {
        ScheduleCase parsed = parse(c);
        ScheduleTrace trace = ScheduleSpecs.simulate(parsed);

        assertThat(trace.steps()).isEqualTo(c.get("steps").getAsInt());
        Oracle.assertClose(name + " lr", trace.lrs(0), Oracle.series(c, "lr"));
        if (c.has("momentum")) {
            Oracle.assertClose(
                    name + " momentum", trace.momentums(0), Oracle.series(c, "momentum"));
        }
    }

    @Test
    void theOracleHoldsEveryKind() {
        List<String> kinds =
                Oracle.cases().stream()
                        .map(c -> c.getAsJsonObject("scheduler").get("kind").getAsString())
                        .distinct()
                        .toList();
        assertThat(Oracle.cases()).hasSize(14);
        assertThat(kinds)
                .contains("OneCycleLR", "CyclicLR", "CosineAnnealingWarmRestarts",
                        "CosineAnnealingLR", "StepLR", "MultiStepLR", "ExponentialLR",
                        "LambdaLR", "MultiplicativeLR", "ReduceLROnPlateau");
    }

    @Test
    void adamCyclesBeta1AndSgdCyclesMomentum() {
        ScheduleTrace adam = ScheduleSpecs.simulate(parse(Oracle.byName("chapter_one_cycle_adam")));
        assertThat(adam.momentum(0, 0)).isEqualTo(0.95);
        assertThat(adam.momentum(700, 0)).isLessThan(0.86); // near base_momentum at the peak
        ScheduleTrace sgd = ScheduleSpecs.simulate(parse(Oracle.byName("cosine_annealing")));
        assertThat(sgd.momentums(0)).containsOnly(0.0); // not a cycling schedule: untouched
    }
}
