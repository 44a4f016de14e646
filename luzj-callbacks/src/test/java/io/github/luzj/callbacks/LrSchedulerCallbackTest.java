package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Phase;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.callbacks.lr.OneCycleLr;
import io.github.luzj.callbacks.lr.TestGroups;
import io.github.luzj.optim.LuzOptimizer;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.optim.ParamGroup;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The callback's wiring, driven phase by phase through a stub context. */
class LrSchedulerCallbackTest {

    @Test
    void stepsAtEpochEndByDefaultAndAtTheNamedPhase() {
        LrSchedulerCallback byEpoch = LuzCallbacks.lrScheduler(LrSchedulers.step(1));
        assertThat(byEpoch.stepPhase()).isEqualTo(Phase.EPOCH_END);
        assertThat(byEpoch.callOn()).isEqualTo(EnumSet.of(Phase.FIT_BEGIN, Phase.EPOCH_END, Phase.FIT_END));
        LrSchedulerCallback byBatch =
                LuzCallbacks.lrScheduler(LrSchedulers.step(1), "on_batch_end");
        assertThat(byBatch.stepPhase()).isEqualTo(Phase.TRAIN_BATCH_END);
        assertThat(LuzCallbacks.lrScheduler(LrSchedulers.step(1), Phase.VALID_END).stepPhase())
                .isEqualTo(Phase.VALID_END);
    }

    @Test
    void rejectsPhasesItCannotStepAt() {
        assertThatThrownBy(() -> LuzCallbacks.lrScheduler(LrSchedulers.step(1), "on_fit_begin"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(
                        "callOn must be a phase of fitting after on_fit_begin, got on_fit_begin");
        assertThatThrownBy(() -> LuzCallbacks.lrScheduler(LrSchedulers.step(1), "on_predict_end"))
                .isInstanceOf(LuzjException.class);
        assertThatThrownBy(() -> LuzCallbacks.lrScheduler(LrSchedulers.step(1), "on_batch_finish"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("unknown phase 'on_batch_finish'");
    }

    @Test
    void buildsOverTheLiveGroupsAndTakesStepsPerEpochFromTheData() {
        LuzOptimizer optimizer = TestGroups.optimizer(Optimizers.adam());
        StubContext ctx = new StubContext(optimizer, 7);
        LrSchedulerCallback cb =
                LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01).epochs(3), "on_batch_end");
        cb.on(Phase.FIT_BEGIN, ctx);

        assertThat(((OneCycleLr) cb.scheduler()).totalSteps()).isEqualTo(21);
        ParamGroup g = optimizer.groups().get(0);
        assertThat(g.lr()).isCloseTo(0.01 / 25, within(1e-15));
        assertThat(g.momentum()).isEqualTo(0.95);
        cb.on(Phase.TRAIN_BATCH_END, ctx);
        assertThat(cb.scheduler().lastEpoch()).isEqualTo(1);
        assertThat(g.lr()).isGreaterThan(0.01 / 25);
    }

    @Test
    void epochsAndStepsPerEpochBothComeFromTheFitWhenLeftOut() {
        StubContext ctx = new StubContext(TestGroups.optimizer(Optimizers.adam()), 12);
        ctx.fitEpochs = 5;
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01), "on_batch_end");
        cb.on(Phase.FIT_BEGIN, ctx);
        assertThat(((OneCycleLr) cb.scheduler()).totalSteps()).isEqualTo(60);
        assertThat(ctx.warnings).isEmpty();
        // stepped once an epoch, the cycle lasts one step an epoch
        LrSchedulerCallback perEpoch = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.01));
        perEpoch.on(Phase.FIT_BEGIN, ctx);
        assertThat(((OneCycleLr) perEpoch.scheduler()).totalSteps()).isEqualTo(5);
    }

    @Test
    void aScheduleLongerThanTheFitIsWarnedAboutLoudly() {
        // the case: stepsPerEpoch(train.size()) counts 15 batches where the split runs 12
        StubContext ctx = new StubContext(TestGroups.optimizer(Optimizers.adam()), 12);
        ctx.fitEpochs = 5;
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(
                LrSchedulers.oneCycle(0.01).epochs(5).stepsPerEpoch(15), "on_batch_end");
        cb.on(Phase.FIT_BEGIN, ctx);
        assertThat(((OneCycleLr) cb.scheduler()).totalSteps()).isEqualTo(75);
        assertThat(ctx.warnings).singleElement().asString()
                .contains("OneCycleLR schedule is built for 75 steps but this fit takes 60"
                        + " (5 epochs x 12 steps at on_train_batch_end)")
                .contains("leave epochs and steps_per_epoch unset");
    }

    @Test
    void aScheduleShorterThanTheFitIsRefusedAtFitBegin() {
        StubContext ctx = new StubContext(TestGroups.optimizer(Optimizers.adam()), 7);
        ctx.fitEpochs = 3;
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(
                LrSchedulers.oneCycle(0.01).totalSteps(20), "on_batch_end");
        assertThatThrownBy(() -> cb.on(Phase.FIT_BEGIN, ctx))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("built for 20 steps but this fit takes 21");
    }

    @Test
    void plateauMonitorsValidationLossElseTrainingLoss() {
        LuzOptimizer optimizer = TestGroups.optimizer(Optimizers.sgd().lr(0.1));
        StubContext ctx = new StubContext(optimizer, 5);
        LrSchedulerCallback cb =
                LuzCallbacks.lrScheduler(LrSchedulers.reduceOnPlateau().factor(0.5).patience(0));
        cb.on(Phase.FIT_BEGIN, ctx);

        ctx.setMetrics("train", Map.of("loss", 1.0));
        cb.on(Phase.EPOCH_END, ctx); // no validation data: the training loss is the baseline
        ctx.setMetrics("train", Map.of("loss", 2.0));
        cb.on(Phase.EPOCH_END, ctx);
        assertThat(optimizer.groups().get(0).lr()).isEqualTo(0.05);

        ctx.setMetrics("valid", Map.of("loss", 0.5)); // validation wins once present
        ctx.setMetrics("train", Map.of("loss", 9.0));
        cb.on(Phase.EPOCH_END, ctx);
        assertThat(optimizer.groups().get(0).lr()).isEqualTo(0.05);
    }

    @Test
    void plateauCanMonitorAnotherMetric() {
        LuzOptimizer optimizer = TestGroups.optimizer(Optimizers.sgd().lr(0.1));
        StubContext ctx = new StubContext(optimizer, 5);
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(
                        LrSchedulers.reduceOnPlateau().mode("max").factor(0.5).patience(0))
                .monitor("valid", "acc");
        cb.on(Phase.FIT_BEGIN, ctx);
        ctx.setMetrics("valid", Map.of("loss", 0.3, "acc", 0.9));
        cb.on(Phase.EPOCH_END, ctx);
        ctx.setMetrics("valid", Map.of("loss", 0.1, "acc", 0.8)); // loss better, accuracy worse
        cb.on(Phase.EPOCH_END, ctx);
        assertThat(optimizer.groups().get(0).lr()).isEqualTo(0.05);

        ctx.setMetrics("valid", Map.of("loss", 0.1));
        assertThatThrownBy(() -> cb.on(Phase.EPOCH_END, ctx))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("LrSchedulerCallback(ReduceLROnPlateau) monitors 'valid_acc',"
                        + " which is not recorded at on_epoch_end; the valid set records [loss]");
    }

    @Test
    void plateauPerBatchBeforeAnyEpochEndSaysWhy() {
        StubContext ctx = new StubContext(TestGroups.optimizer(Optimizers.sgd()), 5);
        LrSchedulerCallback cb =
                LuzCallbacks.lrScheduler(LrSchedulers.reduceOnPlateau(), "on_batch_end");
        cb.on(Phase.FIT_BEGIN, ctx);
        assertThatThrownBy(() -> cb.on(Phase.TRAIN_BATCH_END, ctx))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("no epoch has ended yet: step it at on_epoch_end");
    }

    @Test
    void stateSurvivesACheckpointLoadedBeforeOrAfterFitBegin() {
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(LrSchedulers.exponential(0.5));
        // before the fit: only the kind, so that a checkpoint without this schedule is refused
        assertThat(cb.state().toString()).isEqualTo("{\"kind\":\"ExponentialLR\"}");
        LuzOptimizer first = TestGroups.optimizer(Optimizers.sgd().lr(0.1));
        StubContext ctx = new StubContext(first, 3);
        cb.on(Phase.FIT_BEGIN, ctx);
        cb.on(Phase.EPOCH_END, ctx);
        cb.on(Phase.EPOCH_END, ctx);
        String saved = new Gson().toJson(cb.state());

        // loaded before the fit begins: applied right after the build
        LrSchedulerCallback resumed = LuzCallbacks.lrScheduler(LrSchedulers.exponential(0.5));
        resumed.loadState(new Gson().fromJson(saved, JsonElement.class));
        LuzOptimizer second = TestGroups.optimizer(Optimizers.sgd().lr(0.1));
        StubContext ctx2 = new StubContext(second, 3);
        resumed.on(Phase.FIT_BEGIN, ctx2);
        assertThat(resumed.scheduler().lastEpoch()).isEqualTo(2);
        assertThat(second.groups().get(0).lr()).isCloseTo(0.025, within(1e-15));
        resumed.on(Phase.EPOCH_END, ctx2);
        assertThat(second.groups().get(0).lr()).isCloseTo(0.0125, within(1e-15));

        // loaded after the build: applied at once
        LrSchedulerCallback late = LuzCallbacks.lrScheduler(LrSchedulers.exponential(0.5));
        LuzOptimizer third = TestGroups.optimizer(Optimizers.sgd().lr(0.1));
        late.on(Phase.FIT_BEGIN, new StubContext(third, 3));
        late.loadState(new Gson().fromJson(saved, JsonElement.class));
        assertThat(third.groups().get(0).lr()).isCloseTo(0.025, within(1e-15));
    }

    @Test
    void aNewFitRebuildsTheSchedule() {
        LrSchedulerCallback cb = LuzCallbacks.lrScheduler(LrSchedulers.step(1).gamma(0.5));
        LuzOptimizer optimizer = TestGroups.optimizer(Optimizers.sgd().lr(0.1));
        StubContext ctx = new StubContext(optimizer, 3);
        cb.on(Phase.FIT_BEGIN, ctx);
        cb.on(Phase.EPOCH_END, ctx);
        cb.on(Phase.FIT_BEGIN, ctx);
        assertThat(cb.scheduler().lastEpoch()).isZero();
        assertThat(optimizer.groups().get(0).lr()).isEqualTo(0.1);
    }
}
