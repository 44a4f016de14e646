package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Phase;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.testing.FakeContext;
import io.github.luzj.callbacks.lr.LrSchedulers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EarlyStoppingTest {

    /** Runs {@code cb} over epochs with the given validation losses; returns the stop epoch. */
    private static int stopEpoch(EarlyStopping cb, FakeContext ctx, double... losses) {
        cb.on(Phase.FIT_BEGIN, ctx);
        for (int i = 0; i < losses.length; i++) {
            cb.on(Phase.EPOCH_END, ctx.validLoss(i + 1, losses[i]));
            if (ctx.stopRequested() && ctx.epoch() >= ctx.minEpochs()) {
                return i + 1;
            }
            ctx.stops.clear(); // the loop ignores a stop before min epochs
        }
        return 0;
    }

    @Test
    void stopsAtThePatienceThEpochWithoutImprovement() {
        FakeContext ctx = new FakeContext();
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_loss", 2);
        assertThat(stopEpoch(cb, ctx, 1.0, 0.8, 0.85, 0.9, 0.7)).isEqualTo(4);
        assertThat(cb.stoppedEpoch()).isEqualTo(4);
        assertThat(cb.bestEpoch()).isEqualTo(2);
        assertThat(ctx.stops).containsExactly(
                "Early stopping at epoch 4 of 10: valid_loss has not improved on 0.800000"
                        + " (epoch 2) by more than 0 for 2 epochs");
    }

    @Test
    void patienceZeroStopsAtTheFirstEpochWithoutImprovementNotAtEpochTwo() {
        EarlyStopping zero = LuzCallbacks.earlyStopping();
        assertThat(zero.patience()).isZero();
        assertThat(stopEpoch(zero, new FakeContext(), 1.0, 0.9, 0.8, 0.85, 0.7)).isEqualTo(4);
        assertThat(stopEpoch(zero.patience(1), new FakeContext(), 1.0, 0.9, 0.8, 0.85, 0.7))
                .isEqualTo(4);
        assertThat(stopEpoch(zero.patience(3), new FakeContext(), 1.0, 0.9, 0.8, 0.85, 0.7))
                .isZero();
    }

    @Test
    void aSmallerGainThanMinDeltaIsNoImprovement() {
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_loss", 2).minDelta(0.05);
        assertThat(stopEpoch(cb, new FakeContext(), 1.0, 0.97, 0.96, 0.5)).isEqualTo(3);
        assertThat(cb.best()).hasValue(1.0);
    }

    @Test
    void theBaselineMustBeBeaten() {
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_loss", 2).baseline(0.5);
        FakeContext ctx = new FakeContext();
        assertThat(stopEpoch(cb, ctx, 0.6, 0.55, 0.4)).isEqualTo(2);
        assertThat(ctx.stops.get(0)).contains("has not improved on 0.500000 (the baseline)");
    }

    @Test
    void accuracyIsMaximizedAndCanBeMonitoredOnTheTrainingSet() {
        EarlyStopping cb = LuzCallbacks.earlyStopping("train_acc", 1);
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        double[] acc = {0.5, 0.6, 0.55};
        for (int e = 1; e <= 3; e++) {
            ctx.epoch = e;
            ctx.metrics("train", Map.of("loss", 1.0 / e, "acc", acc[e - 1]));
            cb.on(Phase.EPOCH_END, ctx);
        }
        assertThat(cb.stoppedEpoch()).isEqualTo(3);
        assertThat(cb.best()).hasValue(0.6);
    }

    @Test
    void withoutValidationDataItMonitorsTheTrainingSet() {
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_loss", 1);
        FakeContext ctx = new FakeContext();
        ctx.validBatches = 0;
        cb.on(Phase.FIT_BEGIN, ctx);
        ctx.metrics("train", Map.of("loss", 1.0));
        cb.on(Phase.EPOCH_END, ctx);
        ctx.epoch = 2;
        ctx.metrics("train", Map.of("loss", 1.5));
        cb.on(Phase.EPOCH_END, ctx);
        assertThat(ctx.stops).singleElement().asString()
                .contains("train_loss has not improved on 1.00000 (epoch 1)");
    }

    @Test
    void anUnrecordedMetricIsNamedWithTheRecordedOnes() {
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_acc", 1);
        FakeContext ctx = new FakeContext().validLoss(1, 0.3);
        cb.on(Phase.FIT_BEGIN, ctx);
        assertThatThrownBy(() -> cb.on(Phase.EPOCH_END, ctx))
                .isInstanceOf(LuzjException.class)
                .hasMessage("EarlyStopping monitors 'valid_acc', which is not recorded at"
                        + " on_epoch_end; the valid"
                        + " set records [loss]: monitor one of them or add the metric to"
                        + " Luz.setup");
    }

    @Test
    void stopRequestsBeforeMinEpochsKeepCounting() {
        FakeContext ctx = new FakeContext();
        ctx.minEpochs = 4;
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_loss", 1);
        assertThat(stopEpoch(cb, ctx, 1.0, 1.1, 1.2, 1.3, 1.4)).isEqualTo(4);
        assertThat(cb.waited()).isEqualTo(3);
    }

    @Test
    void aNewFitStartsAfresh() {
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_loss", 2);
        assertThat(stopEpoch(cb, new FakeContext(), 0.1, 0.2, 0.3)).isEqualTo(3);
        // the second fit's losses are all worse than the first fit's best: no stop if reset
        assertThat(stopEpoch(cb, new FakeContext(), 1.0, 0.9, 0.8)).isZero();
        assertThat(cb.best()).hasValue(0.8);
        assertThat(cb.stoppedEpoch()).isZero();
    }

    @Test
    void stateSurvivesACheckpointLoadedBeforeTheFitBegins() {
        double[] losses = {1.0, 0.8, 0.9, 0.95, 0.97};
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_loss", 3);
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        for (int e = 1; e <= 3; e++) {
            cb.on(Phase.EPOCH_END, ctx.validLoss(e, losses[e - 1]));
        }
        String saved = new Gson().toJson(cb.state());
        assertThat(saved).contains("\"best\":0.8").contains("\"wait\":1");

        EarlyStopping resumed = LuzCallbacks.earlyStopping("valid_loss", 3);
        resumed.loadState(new Gson().fromJson(saved, JsonElement.class));
        FakeContext ctx2 = new FakeContext();
        resumed.on(Phase.FIT_BEGIN, ctx2); // a resumed fit: the loaded state is kept
        resumed.on(Phase.EPOCH_END, ctx2.validLoss(4, losses[3]));
        assertThat(ctx2.stops).isEmpty();
        resumed.on(Phase.EPOCH_END, ctx2.validLoss(5, losses[4]));
        assertThat(resumed.stoppedEpoch()).isEqualTo(5);
        assertThat(resumed.bestEpoch()).isEqualTo(2);

        EarlyStopping other = LuzCallbacks.earlyStopping("valid_acc", 3);
        assertThatThrownBy(() -> other.loadState(new Gson().fromJson(saved, JsonElement.class)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("was saved monitoring valid_loss but this callback monitors"
                        + " valid_acc");
    }

    @Test
    void stopsARealFitAfterPatienceEpochsAndNotBeforeMinEpochs() {
        // no gain can exceed a min delta of 100: epoch 1 sets the best, epochs 2 and 3 count
        EarlyStopping cb = LuzCallbacks.earlyStopping("valid_loss", 2).minDelta(100);
        try (FittedModel fitted = Fixtures.fitClasses(Fixtures.classifier(), 6, true, cb)) {
            assertThat(fitted.records().epochs()).isEqualTo(3);
            assertThat(cb.stoppedEpoch()).isEqualTo(3);
        }
        try (FittedModel fitted = Fixtures.classifier().fit(
                FitOptions.builder(Fixtures.trainClasses()).valid(Fixtures.validClasses())
                        .epochs(6).minEpochs(5).verbose(false).callbacks(cb).build())) {
            assertThat(fitted.records().epochs()).isEqualTo(5);
            assertThat(cb.stoppedEpoch()).isEqualTo(5);
        }
    }

    @Test
    void argumentErrorsNameTheArgumentAndTheValue() {
        assertThatThrownBy(() -> LuzCallbacks.earlyStopping().patience(-1))
                .isInstanceOf(LuzjException.class)
                .hasMessage("patience must be >= 0, got -1");
        assertThatThrownBy(() -> LuzCallbacks.earlyStopping().monitor("loss"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got 'loss'");
        assertThatThrownBy(() -> LuzCallbacks.earlyStopping().mode("lowest"))
                .isInstanceOf(LuzjException.class)
                .hasMessage("mode must be one of min, max, zero, auto, got 'lowest'");
    }

    @Test
    void aMisspelledMetricIsRefusedBeforeTheFirstBatch() {
        int[] batches = {0};
        io.github.luzj.callback.Callback count =
                io.github.luzj.callback.Callback.on(Phase.TRAIN_BATCH_END, ctx -> batches[0]++);
        for (io.github.luzj.callback.Callback watcher : List.of(
                LuzCallbacks.earlyStopping("valid_accuracy", 1),
                LuzCallbacks.modelCheckpoint("unused/").monitor("train_los"),
                LuzCallbacks.lrScheduler(LrSchedulers.reduceOnPlateau()).monitor("valid", "accuracy"))) {
            assertThatThrownBy(() -> Fixtures.fitClasses(Fixtures.classifier(), 2, true, count, watcher))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("but this fit records [loss] for each set: monitor one"
                            + " of them (train_ or valid_ first), or add the metric to Luz.setup");
        }
        assertThat(batches[0]).isZero();
        // and a path template's metric placeholder likewise
        assertThatThrownBy(() -> Fixtures.fitClasses(Fixtures.classifier(), 2, true, count,
                        LuzCallbacks.modelCheckpoint("unused/e{epoch}-{valid_acc:.2f}")))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("path template 'unused/e{epoch}-{valid_acc:.2f}' names"
                        + " {valid_acc}, but this fit records [loss] for each set");
        assertThat(batches[0]).isZero();
    }
}
