package io.github.luzj.callbacks.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.base.LuzjException;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** Bad arguments fail when the spec is made, naming the argument, the value and the range. */
class SchedulerValidationTest {

    private static void rejects(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(LuzjException.class).hasMessageContaining(message);
    }

    @Test
    void nullMilestonesAndSchedulesAreNamed() {
        rejects(() -> LrSchedulers.multiStep((int[]) null), "milestones is null");
        rejects(() -> LrSchedulers.sequential(java.util.Arrays.asList(LrSchedulers.step(1), null), 2),
                "schedulers holds a null");
    }

    @Test
    void oneCycleArguments() {
        rejects(() -> LrSchedulers.oneCycle(-1), "max_lr must be a finite number > 0, got -1");
        rejects(() -> LrSchedulers.oneCycle(0.01, 0), "max_lr must be a finite number > 0, got 0");
        rejects(() -> LrSchedulers.oneCycle(0.01).pctStart(1.5),
                "pct_start must be in (0, 1), got 1.5");
        rejects(() -> LrSchedulers.oneCycle(0.01).pctStart(0),
                "pct_start must be in (0, 1), got 0");
        rejects(() -> LrSchedulers.oneCycle(0.01).totalSteps(0), "total_steps must be >= 1, got 0");
        rejects(() -> LrSchedulers.oneCycle(0.01).epochs(-2), "epochs must be >= 1, got -2");
        rejects(() -> LrSchedulers.oneCycle(0.01).stepsPerEpoch(0),
                "steps_per_epoch must be >= 1, got 0");
        rejects(() -> LrSchedulers.oneCycle(0.01).annealStrategy("cosine"),
                "anneal_strategy must be one of cos, linear, got 'cosine'");
        rejects(() -> LrSchedulers.oneCycle(0.01).maxMomentum(1.0),
                "max_momentum must be in [0, 1), got 1");
        rejects(() -> LrSchedulers.oneCycle(0.01).baseMomentum(-0.1),
                "base_momentum must be in [0, 1), got -0.1");
        rejects(() -> LrSchedulers.oneCycle(0.01).divFactor(0),
                "div_factor must be a finite number > 0, got 0");
        rejects(() -> LrSchedulers.oneCycle(0.01).finalDivFactor(Double.NaN),
                "final_div_factor must be a finite number > 0, got NaN");
        rejects(() -> LrSchedulers.oneCycle(), "max_lr needs one value");
    }

    @Test
    void oneCycleNeedsItsLengthAtBuild() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.adam());
        rejects(() -> LrSchedulers.oneCycle(0.01).epochs(5).build(groups),
                "one_cycle needs total_steps, or epochs and steps_per_epoch; got epochs=5,"
                        + " steps_per_epoch=null");
        rejects(() -> LrSchedulers.oneCycle(0.01).totalSteps(10).pctStart(0.1).build(groups),
                "one-cycle phase 1 would last zero steps with total_steps=10 and pct_start=0.1");
        rejects(() -> LrSchedulers.oneCycle(0.01, 0.02, 0.03).totalSteps(10).build(groups),
                "max_lr has 3 values but the optimizer has 1 parameter groups");
    }

    @Test
    void otherKindsArguments() {
        rejects(() -> LrSchedulers.cosineWarmRestarts(0), "T_0 must be >= 1, got 0");
        rejects(() -> LrSchedulers.cosineWarmRestarts(5).tMult(0), "T_mult must be >= 1, got 0");
        rejects(() -> LrSchedulers.cosineWarmRestarts(5).etaMin(-1e-3),
                "eta_min must be a finite number >= 0, got -0.001");
        rejects(() -> LrSchedulers.cosineAnnealing(0), "T_max must be >= 1, got 0");
        rejects(() -> LrSchedulers.step(0), "step_size must be >= 1, got 0");
        rejects(() -> LrSchedulers.step(3).gamma(-0.5),
                "gamma must be a finite number > 0, got -0.5");
        rejects(() -> LrSchedulers.multiStep(5, 3),
                "milestones must be strictly increasing, got [5, 3]");
        rejects(() -> LrSchedulers.multiStep(), "milestones must hold at least one step");
        rejects(() -> LrSchedulers.exponential(0), "gamma must be a finite number > 0, got 0");
        rejects(() -> LrSchedulers.linear().startFactor(0),
                "start_factor must be in (0, 1], got 0");
        rejects(() -> LrSchedulers.linear().endFactor(1.5),
                "end_factor must be in [0, 1], got 1.5");
        rejects(() -> LrSchedulers.linear().totalIters(0), "total_iters must be >= 1, got 0");
        rejects(() -> LrSchedulers.lambda(), "lr_lambda needs one function");
        rejects(() -> LrSchedulers.multiplicative(e -> 0.9, null),
                "lr_lambda holds a null function");
        rejects(() -> LrSchedulers.cyclic(-0.1, 1),
                "base_lr must be a finite number >= 0, got -0.1");
        rejects(() -> LrSchedulers.cyclic(0.1, 1).stepSizeUp(0),
                "step_size_up must be >= 1, got 0");
        rejects(() -> LrSchedulers.cyclic(0.1, 1).mode("sawtooth"),
                "mode must be one of exp_range, triangular, triangular2, got 'sawtooth'");
        rejects(() -> LrSchedulers.cyclic(0.1, 1).scaleFn(x -> 1, "epochs"),
                "scale_mode must be one of cycle, iterations, got 'epochs'");
        rejects(() -> LrSchedulers.reduceOnPlateau().patience(-1), "patience must be >= 0, got -1");
        rejects(() -> LrSchedulers.reduceOnPlateau().factor(1), "factor must be in (0, 1), got 1");
        rejects(() -> LrSchedulers.reduceOnPlateau().mode("down"),
                "mode must be one of max, min, got 'down'");
        rejects(() -> LrSchedulers.reduceOnPlateau().thresholdMode("pct"),
                "threshold_mode must be one of abs, rel, got 'pct'");
        rejects(() -> LrSchedulers.reduceOnPlateau().cooldown(-3), "cooldown must be >= 0, got -3");
        rejects(() -> LrSchedulers.reduceOnPlateau().minLr(-1),
                "min_lr must be a finite number >= 0, got -1");
        rejects(() -> LrSchedulers.sequential(List.of(LrSchedulers.exponential(0.9)), 3),
                "milestones must hold one step fewer than schedulers (0), got 1");
        rejects(() -> LrSchedulers.sequential(
                        List.of(LrSchedulers.exponential(0.9), LrSchedulers.reduceOnPlateau()), 3),
                "SequentialLR cannot hold ReduceLROnPlateau");
    }

    @Test
    void perGroupValuesMustFitTheGroups() {
        List<ParamGroup> two = TestGroups.groups(
                Optimizers.sgd().lr(0.1).group("head", n -> n.equals("head"), 10));
        assertThat(two).hasSize(2);
        rejects(() -> LrSchedulers.reduceOnPlateau().minLr(0.1, 0.2, 0.3).build(two),
                "min_lr has 3 values but the optimizer has 2 parameter groups");
        rejects(() -> LrSchedulers.lambda(e -> 1, e -> 2, e -> 3).build(two),
                "lr_lambda has 3 functions but the optimizer has 2 parameter groups");
    }

    @Test
    void steppingPastTheCycleFailsAsInPyTorch() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd().momentum(0.9));
        LrScheduler s =
                LrSchedulers.oneCycle(0.1).totalSteps(4).annealStrategy("linear").build(groups);
        for (int i = 0; i < 4; i++) {
            s.step(); // the 4th step follows the cycle's last training step: allowed
        }
        // held at the end, not extrapolated below 0
        assertThat(groups.get(0).lr()).isCloseTo(0.1 / 25 / 1e4, within(1e-15));
        assertThatThrownBy(s::step)
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("stepped 5 times but total_steps is 4");
    }

    @Test
    void plateauStepsOnlyOnAMetric() {
        LrScheduler s = LrSchedulers.reduceOnPlateau().build(TestGroups.groups(Optimizers.adam()));
        assertThat(s.needsMetric()).isTrue();
        rejects(s::step, "ReduceLROnPlateau steps on a metric: call step(metric)");
    }

    /** JSON written with single quotes, to keep the cases readable. */
    private static JsonObject json(String text) {
        return JsonParser.parseString(text.replace('\'', '"')).getAsJsonObject();
    }

    private static ThrowingCallable parseCase(String scheduler) {
        return () -> ScheduleSpecs.parse(json("{'name': 'x', 'steps': 5,"
                + " 'optimizer': {'name': 'sgd', 'lr': 0.1}, 'scheduler': " + scheduler + "}"));
    }

    @Test
    void badJsonCasesNameTheProblem() {
        rejects(parseCase("{'kind': 'PolyLR', 'args': {}}"), "unknown scheduler kind 'PolyLR'");
        rejects(parseCase("{'kind': 'StepLR', 'args': {'step_size': 2, 'gama': 0.5}}"),
                "StepLR has unknown argument(s) [gama]; valid arguments are [gamma, step_size]");
        rejects(parseCase("{'kind': 'StepLR', 'args': {'step_size': 2.5}}"),
                "StepLR argument 'step_size' must be an integer, got 2.5");
        rejects(parseCase("{'kind': 'StepLR', 'args': {}}"), "StepLR needs argument 'step_size'");
        rejects(parseCase("{'kind': 'StepLR'}"), "StepLR needs argument 'step_size'");
        rejects(parseCase("{'args': {'step_size': 2}}"), "scheduler needs argument 'kind'");
        rejects(parseCase("{'kind': 'OneCycleLR',"
                        + " 'args': {'max_lr': 0.1, 'pct_start': 1.5, 'total_steps': 10}}"),
                "pct_start must be in (0, 1), got 1.5");
        rejects(parseCase("{'kind': 'OneCycleLR', 'args': {'max_lr': 0.1}}"),
                "one_cycle needs total_steps, or epochs and steps_per_epoch");
        rejects(parseCase("{'kind': 'CyclicLR', 'args': {'base_lr': 0.1, 'max_lr': 'high'}}"),
                "CyclicLR argument 'max_lr' must be a number, got \"high\"");
        rejects(parseCase("{'kind': 'LambdaLR', 'lambda': 'lambda e: 0.9', 'args': {}}"),
                "LambdaLR takes a Python lr_lambda");
        rejects(parseCase("{'kind': 'ReduceLROnPlateau', 'args': {}}"),
                "needs 'metrics' with one value per step (5), got 0");
    }

    @Test
    void badJsonCaseFieldsNameTheProblem() {
        String step = "'scheduler': {'kind': 'StepLR', 'args': {'step_size': 2}}";
        rejects(() -> ScheduleSpecs.parse(json("{'name': 'x', 'steps': 5, " + step + "}")),
                "schedule case 'x' needs argument 'optimizer'");
        rejects(() -> ScheduleSpecs.parse(
                        json("{'name': 'x', 'optimizer': {'name': 'sgd'}, " + step + "}")),
                "schedule case 'x' needs argument 'steps'");
        rejects(() -> ScheduleSpecs.parse(json("{'name': 'x', 'steps': 5,"
                        + " 'optimizer': {'name': 'rmsprop', 'lr': 0.1}, " + step + "}")),
                "optimizer name must be one of adam, adamw, sgd, got 'rmsprop'");
        rejects(() -> ScheduleSpecs.parse(json("{'name': 'x', 'steps': 5,"
                        + " 'optimizer': {'name': 'adam', 'momentum': 0.9}, " + step + "}")),
                "optimizer 'adam' has unknown argument(s) [momentum]");
        rejects(() -> ScheduleSpecs.parse(json("{'name': 'x', 'steps': 5, 'epochs': 3,"
                        + " 'optimizer': {'name': 'sgd'}, " + step + "}")),
                "schedule case 'x' has unknown argument(s) [epochs]");
    }
}
