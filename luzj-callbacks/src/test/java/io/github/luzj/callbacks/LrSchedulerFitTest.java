package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.callbacks.lr.Oracle;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real fits of a one-unit linear model: the learning rate and momentum / {@code beta1} the
 * optimizer applied at every step, as the fit loop recorded them, against PyTorch's schedule.
 */
class LrSchedulerFitTest {

    /** {@code n} points of {@code y = 0.5 x0 - 0.25 x1}, small so that no step diverges. */
    private static DataLoader data(int n, int batchSize) {
        SampleDataset ds = new SampleDataset() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Sample get(int i) {
                float x0 = (i % 7) / 7f - 0.5f;
                float x1 = (i % 5) / 5f - 0.5f;
                return new Sample(
                        new FloatTensor(new float[] {x0, x1}, new long[] {2}),
                        new FloatTensor(new float[] {0.5f * x0 - 0.25f * x1}, new long[] {1}));
            }
        };
        return DataLoader.builder(ds).batchSize(batchSize).shuffle(true).seed(3).build();
    }

    private static FittedModel fit(
            OptimizerSpec optimizer, DataLoader train, DataLoader valid, int epochs,
            LrSchedulerCallback cb) {
        return Luz.setup(Linear.builder().setUnits(1).build(), Loss.l2Loss(), optimizer)
                .fit(FitOptions.builder(train).valid(valid).epochs(epochs).callbacks(cb)
                        .verbose(false).build());
    }

    private static double[] applied(FittedModel fitted, boolean momentum) {
        return fitted.records().steps().stream()
                .mapToDouble(s -> momentum ? s.momentum() : s.lr())
                .toArray();
    }

    @Test
    void aSchedulerGivenToEvaluateSaysItBelongsToFit() {
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(LrSchedulers.reduceOnPlateau(), "on_valid_end");
        LrSchedulerCallback inFit = LuzCallbacks.lrScheduler(LrSchedulers.step(10), "on_epoch_end");
        try (FittedModel fitted = fit(Optimizers.sgd().lr(0.1), data(20, 10), null, 1, inFit)) {
            assertThatThrownBy(() -> fitted.evaluate(data(20, 10), cb))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("pass it to fit, not to evaluate or predict");
        }
    }

    @Test
    void oneCyclePerBatchOverTwoEpochsIsPyTorchs() {
        // 2 epochs x 50 batches = the oracle's total_steps 100, steps_per_epoch taken from the data
        var oracle = Oracle.byName("one_cycle_linear_sgd");
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(
                LrSchedulers.oneCycle(0.1).epochs(2).annealStrategy("linear"), "on_batch_end");
        try (FittedModel fitted =
                fit(Optimizers.sgd().lr(0.1).momentum(0.9), data(100, 2), null, 2, cb)) {
            assertThat(fitted.records().steps()).hasSize(100);
            Oracle.assertClose("applied lr", applied(fitted, false), Oracle.series(oracle, "lr"));
            Oracle.assertClose("applied momentum", applied(fitted, true),
                    Oracle.series(oracle, "momentum"));
            assertThat(cb.scheduler().lastEpoch()).isEqualTo(100);
        }
    }

    @Test
    void oneCycleWithAValidationSplitEndsAtItsLastRateWhenLeftToTheFit() {
        // 150 examples in batches of 10 with 20% held out: 12 training batches run per epoch,
        // not the 15 of train.size(); the schedule takes 5 x 12 from the fit and ends at
        // max_lr / div_factor / final_div_factor = 4e-8
        DataLoader train = data(150, 10);
        LrSchedulerCallback cb =
                LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01), "on_batch_end");
        try (FittedModel fitted = Luz.setup(Linear.builder().setUnits(1).build(), Loss.l2Loss(),
                        Optimizers.adam())
                .fit(FitOptions.builder(train).validFraction(0.2).epochs(5).callbacks(cb)
                        .verbose(false).build())) {
            double[] lr = applied(fitted, false);
            assertThat(lr).hasSize(60);
            assertThat(cb.scheduler().lastEpoch()).isEqualTo(60);
            // after the last step the groups hold the cycle's end
            assertThat(cb.scheduler().groups().get(0).lr())
                    .isCloseTo(4e-8, org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void withGradientAccumulationTheScheduleCountsOptimizerSteps() {
        // 100 samples in batches of 2: 50 batches, 25 optimizer steps per epoch with k = 2
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(
                LrSchedulers.warmupStableDecay(0.1).warmupSteps(5).decayFraction(0.2)
                        .decayType("linear").epochs(2),
                "on_batch_end");
        try (FittedModel fitted =
                Luz.setup(Linear.builder().setUnits(1).build(), Loss.l2Loss(),
                                Optimizers.sgd().lr(0.1))
                        .fit(FitOptions.builder(data(100, 2)).epochs(2).callbacks(cb)
                                .accumulateGradBatches(2).verbose(false).build())) {
            assertThat(fitted.records().steps()).hasSize(50);
            assertThat(cb.scheduler().lastEpoch()).isEqualTo(50);
            double[] lr = applied(fitted, false);
            assertThat(lr[0]).isEqualTo(0.0);
            assertThat(lr[4]).isCloseTo(0.08, org.assertj.core.api.Assertions.within(1e-12));
            assertThat(lr[39]).isEqualTo(0.1); // the last stable step: decay is steps 40 to 49
            assertThat(lr[49]).isCloseTo(0.01, org.assertj.core.api.Assertions.within(1e-12));
        }
    }

    @Test
    void beforeTheOptimizersStepTheScheduleStepsAtEveryBatchAccumulationOrNot() {
        // 100 samples in batches of 2 with k = 2: a schedule at on_train_batch_begin runs 50 times
        // an epoch, not the 25 optimizer steps; built for 25 it died midway through epoch 1
        LrSchedulerCallback cb =
                LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01), "on_train_batch_begin");
        try (FittedModel fitted =
                Luz.setup(Linear.builder().setUnits(1).build(), Loss.l2Loss(),
                                Optimizers.sgd().lr(0.1))
                        .fit(FitOptions.builder(data(100, 2)).epochs(2).callbacks(cb)
                                .accumulateGradBatches(2).verbose(false).build())) {
            assertThat(cb.scheduler().lastEpoch()).isEqualTo(100);
        }
    }

    @Test
    void aFixedLengthScheduleResumedIntoALongerFitIsRefusedAndTheSameLengthResumes(@TempDir Path tmp) {
        Path dir = tmp.resolve("ck");
        try (FittedModel ignored = Fixtures.classifier(Optimizers.adam().lr(0.01))
                .fit(FitOptions.builder(Fixtures.trainClasses()).epochs(2).verbose(false)
                        .callbacks(LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01), "on_batch_end"),
                                LuzCallbacks.modelCheckpoint(dir.toString()))
                        .build())) {
            // the checkpoint holds the schedule built for 2 epochs
        }
        // 4 epochs would continue the 2-epoch step count on a 4-epoch curve: neither schedule
        assertThatThrownBy(() -> Fixtures.classifier(Optimizers.adam().lr(0.01))
                        .fit(FitOptions.builder(Fixtures.trainClasses()).epochs(4).verbose(false)
                                .resumeFrom(dir)
                                .callbacks(LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01),
                                        "on_batch_end"),
                                        LuzCallbacks.modelCheckpoint(tmp.resolve("ck4").toString()))
                                .build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the checkpoint's OneCycleLR schedule was built for")
                .hasMessageContaining("resume with the epochs it was written with");
        try (FittedModel resumed = Fixtures.classifier(Optimizers.adam().lr(0.01))
                .fit(FitOptions.builder(Fixtures.trainClasses()).epochs(2).verbose(false)
                        .resumeFrom(dir)
                        .callbacks(LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01), "on_batch_end"),
                                LuzCallbacks.modelCheckpoint(tmp.resolve("ck2").toString()))
                        .build())) {
            assertThat(resumed.records().steps()).isNotEmpty();
        }
    }

    @Test
    void theChaptersOneCycleMovesAdamsBeta1AsPyTorchDoes() {
        // the chapter's schedule exactly: Adam, max_lr 0.01, 5 epochs x 469 batches
        var oracle = Oracle.byName("chapter_one_cycle_adam");
        LrSchedulerCallback cb =
                LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01).epochs(5), "on_batch_end");
        try (FittedModel fitted = fit(Optimizers.adam(), data(469, 1), null, 5, cb)) {
            assertThat(fitted.records().steps()).hasSize(2345);
            Oracle.assertClose("applied lr", applied(fitted, false), Oracle.series(oracle, "lr"));
            Oracle.assertClose("applied beta1", applied(fitted, true),
                    Oracle.series(oracle, "momentum"));
            assertThat(fitted.records().last(Records.TRAIN, "loss")).isFinite();
        }
    }

    @Test
    void byDefaultItStepsOncePerEpoch() {
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(LrSchedulers.step(1).gamma(0.5));
        try (FittedModel fitted =
                fit(Optimizers.adam().lr(0.1), data(24, 8), data(8, 4), 3, cb)) {
            List<Records.StepEntry> steps = fitted.records().steps();
            assertThat(steps).hasSize(9);
            for (Records.StepEntry s : steps) {
                assertThat(s.lr()).as("step %d", s.step())
                        .isEqualTo(0.1 * Math.pow(0.5, s.epoch() - 1));
                assertThat(s.momentum()).isEqualTo(0.9);
            }
            assertThat(cb.scheduler().lastEpoch()).isEqualTo(3);
        }
    }
}
