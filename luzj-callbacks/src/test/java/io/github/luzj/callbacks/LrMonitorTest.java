package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.luzj.FittedModel;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.record.Records;
import java.util.List;
import org.junit.jupiter.api.Test;

class LrMonitorTest {

    @Test
    void perEpochSeesTheValuesEachEpochStartsWith() {
        LrMonitor lrs = LuzCallbacks.lrMonitor();
        LrSchedulerCallback halve = LuzCallbacks.lrScheduler(LrSchedulers.step(1).gamma(0.5));
        try (FittedModel ignored = Fixtures.fitClasses(
                Fixtures.classifier(Optimizers.sgd().lr(0.1).momentum(0.9)), 3, false, lrs,
                halve)) {
            assertThat(lrs.entries()).containsExactly(
                    new LrMonitor.Entry(1, 1, "default", 0.1, 0.9),
                    new LrMonitor.Entry(2, 6, "default", 0.05, 0.9),
                    new LrMonitor.Entry(3, 11, "default", 0.025, 0.9));
        }
    }

    @Test
    void perStepSeesWhatEveryStepApplies() {
        LrMonitor lrs = LrMonitor.perStep();
        LrSchedulerCallback cycle = LuzCallbacks.lrScheduler(
                LrSchedulers.oneCycle(0.01).epochs(2), "on_batch_end");
        try (FittedModel fitted =
                Fixtures.fitClasses(Fixtures.classifier(), 2, false, lrs, cycle)) {
            List<Records.StepEntry> applied = fitted.records().steps();
            assertThat(lrs.entries()).hasSize(10);
            for (int i = 0; i < 10; i++) {
                LrMonitor.Entry e = lrs.entries().get(i);
                assertThat(e.step()).isEqualTo(applied.get(i).step());
                assertThat(e.epoch()).isEqualTo(applied.get(i).epoch());
                assertThat(e.lr()).isEqualTo(applied.get(i).lr());
                assertThat(e.momentum()).isEqualTo(applied.get(i).momentum());
            }
            // one-cycle moves both: the monitor is not reading constants
            assertThat(lrs.entries().get(3).lr()).isNotEqualTo(lrs.entries().get(0).lr());
            assertThat(lrs.entries().get(3).momentum())
                    .isNotEqualTo(lrs.entries().get(0).momentum());
        }
        // a new fit starts a new list
        try (FittedModel ignored = Fixtures.fitClasses(Fixtures.classifier(), 1, false, lrs)) {
            assertThat(lrs.entries()).hasSize(5);
        }
    }

    @Test
    void perStepRecordsAnAccumulatedStepOnce() {
        LrMonitor lrs = LrMonitor.perStep();
        // 5 batches an epoch accumulated by 2: steps of batches {1,2}, {3,4}, {5}
        try (FittedModel fitted = Fixtures.classifier().fit(
                io.github.luzj.fit.FitOptions.builder(Fixtures.trainClasses()).epochs(2)
                        .accumulateGradBatches(2).callbacks(lrs).verbose(false).build())) {
            assertThat(fitted.records().steps()).hasSize(6);
            assertThat(lrs.entries()).extracting(LrMonitor.Entry::step)
                    .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
            assertThat(lrs.entries()).extracting(LrMonitor.Entry::epoch)
                    .containsExactly(1, 1, 1, 2, 2, 2);
        }
    }
}
