package io.github.luzj.callbacks.lr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What the oracle does not cover: several groups, composition, and the plateau's options. */
class SchedulerBehaviourTest {

    private static final double TOL = 1e-12;

    private static double[] lrs(LrScheduler s, int group, int steps) {
        double[] out = new double[steps];
        for (int i = 0; i < steps; i++) {
            out[i] = s.groups().get(group).lr();
            s.step();
        }
        return out;
    }

    private static List<ParamGroup> twoGroups() {
        // "head" at 10x the base learning rate of 0.1
        return TestGroups.groups(Optimizers.sgd().lr(0.1).momentum(0.9)
                .group("head", n -> n.equals("head"), 10));
    }

    @Test
    void eachGroupScalesItsOwnInitialLr() {
        List<ParamGroup> groups = twoGroups();
        assertThat(groups).extracting(ParamGroup::name).containsExactly("head", "default");
        LrScheduler s = LrSchedulers.step(2).gamma(0.5).build(groups);
        s.step();
        s.step();
        assertThat(groups.get(0).lr()).isCloseTo(1.0 * 0.5, within(TOL));
        assertThat(groups.get(1).lr()).isCloseTo(0.1 * 0.5, within(TOL));
    }

    @Test
    void oneCycleTakesMaxLrPerGroup() {
        List<ParamGroup> groups = twoGroups();
        LrSchedulers.oneCycle(0.5, 0.05).totalSteps(10).baseMomentum(0.8, 0.85).build(groups);
        assertThat(groups.get(0).lr()).isCloseTo(0.5 / 25, within(TOL));
        assertThat(groups.get(1).lr()).isCloseTo(0.05 / 25, within(TOL));
        assertThat(groups).extracting(ParamGroup::momentum).containsOnly(0.95);
    }

    @Test
    void sequentialMatchesPyTorchsDocumentedExample() {
        // PyTorch's SequentialLR docstring: ConstantLR(factor=0.1, total_iters=20) then
        // ExponentialLR(gamma=0.9) from epoch 20 on lr 0.05: 0.005 ... 0.005, 0.05, 0.045, 0.0405
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd().lr(0.05));
        LrScheduler s = LrSchedulers.sequential(
                        List.of(LrSchedulers.linear().startFactor(0.1).endFactor(0.1)
                                        .totalIters(20),
                                LrSchedulers.exponential(0.9)),
                        20)
                .build(groups);
        double[] lr = lrs(s, 0, 23);
        for (int i = 0; i < 20; i++) {
            assertThat(lr[i]).as("epoch %d", i).isCloseTo(0.005, within(TOL));
        }
        assertThat(lr[20]).isCloseTo(0.05, within(TOL));
        assertThat(lr[21]).isCloseTo(0.045, within(TOL));
        assertThat(lr[22]).isCloseTo(0.0405, within(TOL));
    }

    @Test
    void linearAgreesWithPyTorchsRecursiveForm() {
        double start = 0.25;
        double end = 0.9;
        int total = 8;
        LrScheduler s = LrSchedulers.linear().startFactor(start).endFactor(end).totalIters(total)
                .build(TestGroups.groups(Optimizers.adam().lr(0.01)));
        double[] lr = lrs(s, 0, 15);
        // LinearLR.get_lr as PyTorch steps it
        double expected = 0.01 * start;
        for (int e = 0; e < 15; e++) {
            if (e > 0 && e <= total) {
                expected *= 1.0 + (end - start) / (total * start + (e - 1) * (end - start));
            }
            assertThat(lr[e]).as("epoch %d", e).isCloseTo(expected, within(TOL));
        }
        assertThat(lr[14]).isCloseTo(0.01 * end, within(TOL));
    }

    @Test
    void customScaleFunctionEqualsTheBuiltInMode() {
        CyclicLr.Spec builtIn = LrSchedulers.cyclic(0.001, 0.01).stepSizeUp(3).stepSizeDown(5)
                .mode("triangular2");
        CyclicLr.Spec custom = builtIn.mode("triangular")
                .scaleFn(x -> 1 / Math.pow(2, x - 1), "cycle");
        double[] a = lrs(builtIn.build(TestGroups.groups(Optimizers.sgd().momentum(0.9))), 0, 40);
        double[] b = lrs(custom.build(TestGroups.groups(Optimizers.sgd().momentum(0.9))), 0, 40);
        assertThat(b).containsExactly(a);
        assertThat(a[3]).isCloseTo(0.01, within(TOL)); // the first peak
        assertThat(a[11]).isCloseTo(0.001 + 0.009 / 2, within(TOL)); // the second, halved
    }

    @Test
    void warmRestartsRestartEveryPeriod() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd().lr(0.1));
        double[] lr = lrs(LrSchedulers.cosineWarmRestarts(4).build(groups), 0, 12);
        assertThat(lr[0]).isEqualTo(0.1);
        assertThat(lr[4]).isEqualTo(0.1);
        assertThat(lr[8]).isEqualTo(0.1);
        assertThat(lr[2]).isCloseTo(0.05, within(TOL));
    }

    @Test
    void cosineAnnealingChainsFromTheRateTheGroupHolds() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd().lr(0.1));
        LrScheduler s = LrSchedulers.cosineAnnealing(10).build(groups);
        s.step();
        s.step();
        groups.get(0).setLr(0.02); // another callback halves it, say
        s.step();
        double ratio = (1 + Math.cos(Math.PI * 3 / 10)) / (1 + Math.cos(Math.PI * 2 / 10));
        assertThat(groups.get(0).lr()).isCloseTo(ratio * 0.02, within(TOL));
    }

    @Test
    void plateauInMaxModeWithAbsoluteThresholdCooldownAndFloor() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd().lr(0.1));
        ReduceLrOnPlateau s = LrSchedulers.reduceOnPlateau().mode("max").factor(0.5).patience(1)
                .threshold(0.05).thresholdMode("abs").cooldown(2).minLr(0.03).build(groups);
        double[] accuracy = {0.50, 0.54, 0.53, 0.52, 0.51, 0.50, 0.49, 0.48, 0.47, 0.46, 0.45};
        double[] lr = new double[accuracy.length];
        for (int i = 0; i < accuracy.length; i++) {
            s.step(accuracy[i]);
            lr[i] = groups.get(0).lr();
        }
        // 0.54 is not 0.05 better than 0.50: bad steps 1, 2 > patience 1 -> halved at step 2;
        // cooldown 2 swallows steps 3-4; bad at 5, 6 -> 0.025, floored to 0.03, at step 6;
        // cooldown 7-8; bad at 9, 10 -> 0.015 floored to 0.03 is no decrease: unchanged.
        assertThat(lr).containsExactly(
                0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.03, 0.03, 0.03, 0.03, 0.03);
        assertThat(s.best()).isEqualTo(0.50);
    }

    @Test
    void plateauSkipsReductionsSmallerThanEps() {
        List<ParamGroup> groups = TestGroups.groups(Optimizers.sgd().lr(1e-9));
        ReduceLrOnPlateau s = LrSchedulers.reduceOnPlateau().patience(0).eps(1e-8).build(groups);
        s.step(1.0);
        s.step(2.0);
        assertThat(groups.get(0).lr()).isEqualTo(1e-9);
    }

    @Test
    void aSequenceWrittenInJsonIsTheSequenceBuiltInJava() {
        JsonObject json = JsonParser.parseString(("{'name': 'warmup then cosine', 'steps': 20,"
                        + " 'optimizer': {'name': 'adamw', 'lr': 0.01, 'betas': [0.8, 0.99]},"
                        + " 'scheduler': {'kind': 'SequentialLR', 'args': {'milestones': [4],"
                        + "   'schedulers': ["
                        + "     {'kind': 'LinearLR',"
                        + "      'args': {'start_factor': 0.25, 'total_iters': 4}},"
                        + "     {'kind': 'CosineAnnealingLR', 'args': {'T_max': 16}}]}}}")
                        .replace('\'', '"'))
                .getAsJsonObject();
        ScheduleCase parsed = ScheduleSpecs.parse(json);
        ScheduleCase java = parsed.withScheduler(LrSchedulers.sequential(
                List.of(LrSchedulers.linear().startFactor(0.25).totalIters(4),
                        LrSchedulers.cosineAnnealing(16)),
                4));
        ScheduleTrace a = ScheduleSpecs.simulate(parsed);
        ScheduleTrace b = ScheduleSpecs.simulate(java);
        assertThat(a.lrs(0)).containsExactly(b.lrs(0));
        assertThat(a.lr(0, 0)).isCloseTo(0.0025, within(TOL));
        assertThat(a.lr(4, 0)).isCloseTo(0.01, within(TOL)); // the cosine starts at the base
        assertThat(a.momentums(0)).containsOnly(0.8); // AdamW's beta1, untouched
    }
}
