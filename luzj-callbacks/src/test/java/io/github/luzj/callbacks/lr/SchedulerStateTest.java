package io.github.luzj.callbacks.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** A state saved mid-schedule, through JSON text, continues exactly as an unbroken run. */
class SchedulerStateTest {

    private static final int BEFORE = 13;
    private static final int AFTER = 17;
    /** A loss that improves, stalls, improves and stalls, so a plateau schedule reduces. */
    private static final double[] METRIC = {
        1.0, 0.9, 0.95, 0.96, 0.97, 0.8, 0.81, 0.82, 0.83, 0.84, 0.85, 0.86, 0.7, 0.71, 0.72,
        0.73, 0.74, 0.6, 0.61, 0.62, 0.63, 0.64, 0.65, 0.66, 0.67, 0.68, 0.5, 0.51, 0.52, 0.53
    };

    static Stream<Arguments> specs() {
        OptimizerSpec sgd = Optimizers.sgd().lr(0.1).momentum(0.9);
        OptimizerSpec adam = Optimizers.adam().lr(0.01);
        return Stream.of(
                Arguments.of(LrSchedulers.oneCycle(0.1).totalSteps(BEFORE + AFTER), sgd),
                Arguments.of(LrSchedulers.oneCycle(0.01).totalSteps(40).threePhase(true), adam),
                Arguments.of(
                        LrSchedulers.cyclic(0.001, 0.01).stepSizeUp(4).mode("triangular2"), adam),
                Arguments.of(
                        LrSchedulers.cyclic(0.001, 0.01).stepSizeUp(3).mode("exp_range").gamma(0.9),
                        sgd),
                Arguments.of(LrSchedulers.cosineWarmRestarts(3).tMult(2).etaMin(1e-4), sgd),
                Arguments.of(LrSchedulers.cosineAnnealing(7).etaMin(1e-3), sgd),
                Arguments.of(LrSchedulers.step(4).gamma(0.5), sgd),
                Arguments.of(LrSchedulers.multiStep(5, 14, 20), adam),
                Arguments.of(LrSchedulers.exponential(0.9), adam),
                Arguments.of(LrSchedulers.lambda(e -> 1.0 / (1 + e)), sgd),
                Arguments.of(LrSchedulers.multiplicative(e -> 0.95), sgd),
                Arguments.of(LrSchedulers.linear().startFactor(0.2).totalIters(20), adam),
                Arguments.of(LrSchedulers.sequential(
                        List.of(LrSchedulers.linear().startFactor(0.1).totalIters(5),
                                LrSchedulers.cosineAnnealing(6),
                                LrSchedulers.oneCycle(0.05).totalSteps(20)),
                        5, 11), sgd),
                Arguments.of(
                        LrSchedulers.reduceOnPlateau().factor(0.5).patience(2).cooldown(1), sgd));
    }

    private static double[][] run(LrScheduler s, List<ParamGroup> groups, int from, int steps) {
        double[][] out = new double[steps][];
        for (int i = 0; i < steps; i++) {
            out[i] = new double[] {groups.get(0).lr(), groups.get(0).momentum()};
            int at = from + i;
            s.step(() -> METRIC[at]);
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("specs")
    void resumesExactly(SchedulerSpec spec, OptimizerSpec optimizer) {
        List<ParamGroup> unbroken = TestGroups.groups(optimizer);
        LrScheduler reference = spec.build(unbroken);
        run(reference, unbroken, 0, BEFORE);
        double[][] expected = run(reference, unbroken, BEFORE, AFTER);

        List<ParamGroup> first = TestGroups.groups(optimizer);
        LrScheduler interrupted = spec.build(first);
        run(interrupted, first, 0, BEFORE);
        String saved = new Gson().toJson(interrupted.state());

        List<ParamGroup> second = TestGroups.groups(optimizer);
        LrScheduler resumed = spec.build(second);
        resumed.step(() -> 0.123); // a fresh scheduler moved elsewhere: loading must override it
        resumed.loadState(new Gson().fromJson(saved, JsonObject.class));
        assertThat(resumed.lastEpoch()).isEqualTo(BEFORE);
        double[][] actual = run(resumed, second, BEFORE, AFTER);

        assertThat(actual).isDeepEqualTo(expected);
        // the schedule moves after the resume point, so the comparison means something
        assertThat(Stream.of(expected).mapToDouble(row -> row[0]).distinct().count())
                .isGreaterThan(1);
    }

    @Test
    void refusesAnotherKindsState() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd());
        JsonObject stepState = LrSchedulers.step(3).build(groups).state();
        LrScheduler exp = LrSchedulers.exponential(0.9).build(groups);
        assertThatThrownBy(() -> exp.loadState(stepState))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(
                        "the saved scheduler state is of a StepLR, not of this ExponentialLR");
        JsonObject noCounter = exp.state();
        noCounter.remove("last_epoch");
        assertThatThrownBy(() -> exp.loadState(noCounter))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("lacks 'last_epoch'");
    }

    @Test
    void refusesAStateOfOtherGroups() {
        JsonObject twoGroups = LrSchedulers.step(3)
                .build(TestGroups.groups(Optimizers.sgd().group("head", n -> n.equals("head"), 2)))
                .state();
        LrScheduler one = LrSchedulers.step(3).build(TestGroups.groups(Optimizers.sgd()));
        assertThatThrownBy(() -> one.loadState(twoGroups))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("has 2 parameter groups, the optimizer has 1");
    }

    @Test
    void plateauStateKeepsInfinityAsText() {
        LrScheduler fresh =
                LrSchedulers.reduceOnPlateau().build(TestGroups.groups(Optimizers.sgd()));
        String text = new Gson().toJson(fresh.state());
        assertThat(text).contains("\"best\":\"inf\"");
        ReduceLrOnPlateau back =
                LrSchedulers.reduceOnPlateau().build(TestGroups.groups(Optimizers.sgd()));
        back.loadState(new Gson().fromJson(text, JsonObject.class));
        assertThat(back.best()).isEqualTo(Double.POSITIVE_INFINITY);
    }

    @Test
    void aStateRefusedHalfwayLeavesTheSchedulerAsItWasAndEveryRefusalIsALuzjException() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd().lr(0.1));
        LrScheduler s = LrSchedulers.step(2).build(groups);
        s.step();
        s.step();
        String before = s.state().toString();
        double lr = groups.get(0).lr();
        for (String bad : List.of(
                "{\"kind\":\"StepLR\",\"last_epoch\":99,\"lr\":[-1]}",
                "{\"kind\":\"StepLR\",\"last_epoch\":\"x\",\"lr\":[0.1]}",
                "{\"kind\":\"StepLR\",\"last_epoch\":1e12,\"lr\":[0.1]}",
                "{\"kind\":\"StepLR\",\"last_epoch\":2.5,\"lr\":[0.1]}",
                "{\"kind\":\"StepLR\",\"last_epoch\":-100,\"lr\":[0.1]}",
                "{\"kind\":\"StepLR\",\"last_epoch\":[3],\"lr\":[0.1]}",
                "{\"kind\":[\"StepLR\"],\"last_epoch\":3,\"lr\":[0.1]}",
                "{\"kind\":{\"a\":1},\"last_epoch\":3,\"lr\":[0.1]}",
                "{\"kind\":\"StepLR\",\"last_epoch\":3,\"lr\":[null]}",
                "{\"kind\":\"StepLR\",\"last_epoch\":3,\"lr\":[\"abc\"]}",
                "{\"kind\":\"StepLR\",\"last_epoch\":3,\"lr\":[[1]]}")) {
            JsonObject state = new Gson().fromJson(bad, JsonObject.class);
            assertThatThrownBy(() -> s.loadState(state)).as(bad)
                    .isExactlyInstanceOf(LuzjException.class);
            assertThat(s.state().toString()).as(bad).isEqualTo(before);
            assertThat(groups.get(0).lr()).as(bad).isEqualTo(lr);
        }
        LrScheduler plateau = LrSchedulers.reduceOnPlateau().build(groups);
        JsonObject zzz = plateau.state();
        zzz.addProperty("num_bad_epochs", "zzz");
        assertThatThrownBy(() -> plateau.loadState(zzz)).isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("'num_bad_epochs' = \"zzz\", not a whole number");
    }

    @Test
    void aStepThatTakesTheRateOutOfRangeNamesTheScheduleAndChangesNothing() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd().lr(0.1));
        LrScheduler s = LrSchedulers.step(1).gamma(1e308).build(groups);
        s.step(); // 1e307
        double lr = groups.get(0).lr();
        assertThatThrownBy(s::step).isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("StepLR's step 2 failed: ")
                .hasMessageContaining("a gamma far above 1");
        assertThat(s.lastEpoch()).isEqualTo(1);
        assertThat(groups.get(0).lr()).isEqualTo(lr);
    }
}
