package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.DataLoader;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.OptimizerProbe;
import io.github.luzj.optim.Optimizers;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LrFinderTest {

    private final DataLoader train = TinyConvNet.loader();

    private static SetupModel setup(Block block, TinyConvNet.CountingLoss loss) {
        return Luz.setup(block, loss, Optimizers.adam().lr(1e-3)).device(Device.cpu());
    }

    private FittedModel fitOneEpoch(SetupModel setup) {
        return setup.fit(FitOptions.builder(train).epochs(1).verbose(false).build());
    }

    private static LrFinder finder(int steps, boolean keepChanges) {
        return LrFinder.builder().startLr(1e-4).endLr(0.3).steps(steps).keepChanges(keepChanges)
                .build();
    }

    @Test
    void sweepsAcrossEpochsAndRestoresWeightsStatisticsAndOptimizerStateBitwise() {
        Block block = TinyConvNet.block();
        TinyConvNet.CountingLoss loss = new TinyConvNet.CountingLoss();
        try (FittedModel fitted = fitOneEpoch(setup(block, loss))) {
            assertThat(nonGradientParameters(block)).as("BatchNorm running statistics").isEqualTo(4);
            Map<String, String> weights = TinyConvNet.parameters(block);
            Map<String, String> adam = OptimizerProbe.state(fitted.optimizer(), block);
            long step = fitted.globalStep();
            int records = fitted.records().entries().size();
            int callsBefore = loss.calls();

            LrFinderResult r = finder(10, false).run(fitted, train);

            assertThat(loss.calls() - callsBefore).as("batches run, 4 per epoch").isEqualTo(10);
            assertThat(r.steps()).isEqualTo(10);
            assertThat(r.stopReason()).isEqualTo(StopReason.COMPLETED);
            assertThat(r.lr()).containsExactly(new LrSchedule(1e-4, 0.3, 10, true).all());
            assertThat(r.finiteSteps()).isEqualTo(10);
            assertThat(r.smoothedLoss()).containsExactly(LossSmoother.smooth(r.loss(), 0.9));

            assertThat(TinyConvNet.parameters(block)).isEqualTo(weights);
            assertThat(OptimizerProbe.state(fitted.optimizer(), block)).isEqualTo(adam);
            assertThat(fitted.globalStep()).isEqualTo(step);
            assertThat(fitted.records().entries()).hasSize(records);
        }
    }

    @Test
    void keepChangesKeepsTheTrainedWeightsAndStatistics() {
        Block block = TinyConvNet.block();
        try (FittedModel fitted = fitOneEpoch(setup(block, new TinyConvNet.CountingLoss()))) {
            Map<String, String> before = TinyConvNet.parameters(block);
            Map<String, String> adam = OptimizerProbe.state(fitted.optimizer(), block);
            finder(6, true).run(fitted, train);
            Map<String, String> after = TinyConvNet.parameters(block);
            for (String name : before.keySet()) {
                assertThat(after.get(name)).as(name).isNotEqualTo(before.get(name));
            }
            assertThat(OptimizerProbe.state(fitted.optimizer(), block)).isEqualTo(adam);
        }
    }

    @Test
    void theFitAfterASweepOfASetupModelStartsWhereAFitWithoutOneDoes() {
        Block swept = TinyConvNet.block();
        Block plain = TinyConvNet.block();
        SetupModel sweptSetup = setup(swept, new TinyConvNet.CountingLoss());
        LrFinderResult r = finder(10, false).run(sweptSetup, train);
        assertThat(r.steps()).isEqualTo(10);
        try (FittedModel a = fitOneEpoch(sweptSetup);
                FittedModel b = fitOneEpoch(setup(plain, new TinyConvNet.CountingLoss()))) {
            assertThat(TinyConvNet.parameters(swept)).isEqualTo(TinyConvNet.parameters(plain));
            assertThat(OptimizerProbe.state(a.optimizer(), swept))
                    .isEqualTo(OptimizerProbe.state(b.optimizer(), plain));
        }
    }

    @Test
    @SuppressWarnings("removal")
    void aSetupModelsBlockSurvivesTheSweepsThrowAwayModel() {
        Block block = TinyConvNet.block();
        SetupModel s = setup(block, new TinyConvNet.CountingLoss());
        finder(5, false).run(s, train);
        System.gc(); // DJL closes an unreachable model's arrays when it is collected
        System.runFinalization();
        Map<String, String> weights = TinyConvNet.parameters(block);
        assertThat(weights).hasSize(14);
        try (FittedModel fitted = fitOneEpoch(s)) {
            assertThat(fitted.records().last("train", "loss")).isFinite();
        }
    }

    @Test
    void aLossOfOneNumberPerExampleIsNamedAsTheFitNamesIt() {
        ai.djl.training.loss.Loss perExample = new ai.djl.training.loss.Loss("per_example") {
            @Override
            public ai.djl.ndarray.NDArray evaluate(ai.djl.ndarray.NDList labels, ai.djl.ndarray.NDList predictions) {
                return predictions.head().mean(new int[] {1}); // not reduced over the batch
            }
        };
        SetupModel s = Luz.setup(TinyConvNet.block(), perExample, Optimizers.adam()).device(Device.cpu());
        assertThatThrownBy(() -> finder(5, false).run(s, train))
                .isExactlyInstanceOf(io.github.luzj.base.LuzjException.class)
                .hasMessageContaining("the loss must be one number per batch")
                .hasMessageNotContaining("callback LrFinder failed");
    }

    @Test
    void weightsTheUserMadeInTheirOwnManagerGoBackToItAfterTheSweep() {
        // a pretrained net is made in the user's manager; after the sweep they had left it, and
        // closing it freed nothing (45-60 MB a ResNet-18 leaked per sweep)
        try (NDManager mine = NDManager.newBaseManager(Device.cpu())) {
            Block block = TinyConvNet.block();
            block.initialize(mine, ai.djl.ndarray.types.DataType.FLOAT32, new ai.djl.ndarray.types.Shape(train.featureShape()));
            finder(5, false).run(setup(block, new TinyConvNet.CountingLoss()), train);
            for (Pair<String, Parameter> p : block.getParameters()) {
                assertThat(p.getValue().getArray().getManager()).as(p.getKey()).isSameAs(mine);
            }
        }
    }

    @Test
    void aSetupFromTheUsersModelLeavesThatModelOpenAndOwningItsParameters() {
        Block block = TinyConvNet.block();
        try (Model mine = Model.newInstance("mine", Device.cpu())) {
            mine.setBlock(block);
            SetupModel s =
                    Luz.setup(mine, new TinyConvNet.CountingLoss(), Optimizers.adam())
                            .device(Device.cpu());
            finder(5, false).run(s, train);
            assertThat(mine.getNDManager().isOpen()).isTrue();
            for (Pair<String, Parameter> p : block.getParameters()) {
                assertThat(p.getValue().getArray().getManager()).isSameAs(mine.getNDManager());
            }
        }
    }

    @Test
    void aNanLossEndsTheSweepEarlyAndTheModelIsRestoredEvenWhenKeepingChanges() {
        Block block = TinyConvNet.block();
        TinyConvNet.CountingLoss loss = new TinyConvNet.CountingLoss();
        try (FittedModel fitted = fitOneEpoch(setup(block, loss))) {
            Map<String, String> before = TinyConvNet.parameters(block);
            loss.nanAt(7);
            LrFinderResult r = finder(20, true).run(fitted, train);
            assertThat(r.stopReason()).isEqualTo(StopReason.NON_FINITE_LOSS);
            assertThat(r.steps()).isEqualTo(7);
            assertThat(r.finiteSteps()).isEqualTo(6);
            assertThat(r.loss()[6]).isNaN();
            assertThat(r.suggestions()).hasSize(3).allMatch(s -> s.index() < 6);
            assertThat(TinyConvNet.parameters(block)).isEqualTo(before);
            // and training goes on from there with finite losses
            fitted.fit(FitOptions.builder(train).epochs(1).verbose(false).build());
            assertThat(fitted.records().last("train", "loss")).isFinite();
        }
    }

    @Test
    void stopsOnDivergenceWhenAskedAndRestores() {
        Block block = TinyConvNet.block();
        TinyConvNet.CountingLoss loss = new TinyConvNet.CountingLoss();
        try (FittedModel fitted = fitOneEpoch(setup(block, loss))) {
            Map<String, String> before = TinyConvNet.parameters(block);
            loss.inflateFrom(9); // the raw loss jumps 100-fold at step 9
            LrFinderResult r =
                    LrFinder.builder().steps(30).stopOnDivergence(true).build().run(fitted, train);
            assertThat(r.stopReason()).isEqualTo(StopReason.DIVERGED);
            // one 100-fold loss lifts the debiased average about 10-fold: past 4x its minimum at once
            assertThat(r.steps()).isEqualTo(9);
            double[] s = r.smoothedLoss();
            double min = java.util.Arrays.stream(s, 0, 8).min().orElseThrow();
            assertThat(s[8]).isGreaterThan(4 * min);
            assertThat(TinyConvNet.parameters(block)).isEqualTo(before);
        }
    }

    @Test
    void rejectsBadOptions() {
        assertThatThrownBy(() -> LrFinder.builder().startLr(0.1).endLr(0.01).build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("endLr must be a finite number > startLr (0.1), got 0.01");
        assertThatThrownBy(() -> LrFinder.builder().beta(1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("beta must be in [0, 1), got 1.0");
        assertThatThrownBy(() -> LrFinder.builder().steps(1))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("steps must be >= 2, got 1");
        assertThatThrownBy(() -> LrFinder.builder().divergenceFactor(0.5))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got 0.5");
        LrFinder f = LrFinder.builder().build();
        assertThat(f.schedule().startLr()).isEqualTo(1e-7);
        assertThat(f.schedule().endLr()).isEqualTo(0.1);
        assertThat(f.schedule().steps()).isEqualTo(100);
        assertThat(f.schedule().logSpaced()).isTrue();
        assertThat(f.beta()).isEqualTo(0.9);
        assertThat(f.stopOnDivergence()).isFalse();
        assertThat(f.divergenceFactor()).isEqualTo(4);
        assertThat(f.keepChanges()).isFalse();
    }

    private static int nonGradientParameters(Block block) {
        int n = 0;
        for (Pair<String, Parameter> p : block.getParameters()) {
            if (!p.getValue().requiresGradient()) {
                n++;
            }
        }
        return n;
    }
}
