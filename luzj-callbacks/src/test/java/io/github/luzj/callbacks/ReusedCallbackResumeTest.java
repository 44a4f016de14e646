package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatCode;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.gson.JsonPrimitive;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One callback instance across fits and resumes: a refused or failed resume leaves it as it was,
 * and an earlier fit's schedule is never moved by a later fit's checkpoint.
 */
class ReusedCallbackResumeTest {

    private static Callback saveAt(int epoch, Path ckpt) {
        return Callback.on(Phase.EPOCH_END, ctx -> {
            if (ctx.epoch() == epoch) {
                ctx.saveCheckpoint(ckpt);
            }
        });
    }

    private static FitOptions.Builder opts(int epochs, Callback... cbs) {
        return FitOptions.builder(Fixtures.trainClasses()).valid(Fixtures.validClasses())
                .epochs(epochs).verbose(false).callbacks(cbs);
    }

    /** A callback with a state; the second instance refuses the saved one (a forged state). */
    static final class Stateful implements Callback {
        final boolean refuse;
        Stateful(boolean refuse) { this.refuse = refuse; }
        public Set<Phase> callOn() { return EnumSet.of(Phase.FIT_BEGIN); }
        public void on(Phase p, Context ctx) { }
        public String name() { return "Stateful"; }
        public JsonElement state() { return new JsonPrimitive(1); }
        public void loadState(JsonElement s) {
            if (refuse) {
                throw new LuzjException("forged Stateful state");
            }
        }
    }

    /** A refused resume leaves the optimizer a reused schedule drove as it was. */
    @Test
    void aRefusedResumeLeavesAReusedSchedulesOptimizerAsItWas(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        LrSchedulerCallback reused = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end");
        try (FittedModel fitted = Fixtures.classifier().fit(opts(3, reused, new Stateful(false), saveAt(1, ckpt)).build())) {
            double lrBefore = fitted.optimizer().groups().get(0).lr();
            String schedBefore = reused.scheduler().state().toString();
            assertThatThrownBy(() -> fitted.fit(opts(3, reused, new Stateful(true)).resumeFrom(ckpt).build()))
                    .hasMessageContaining("forged");
            assertThat(reused.scheduler().state().toString()).as("the reused callback's live schedule").isEqualTo(schedBefore);
            assertThat(fitted.optimizer().groups().get(0).lr()).as("the model's optimizer lr after a refused resume")
                    .isEqualTo(lrBefore);
        }
    }

    /** A refused resume leaves a monitor's best and best epoch as they were. */
    @Test
    void aRefusedResumeLeavesKeepBestModelsBestAsItWas(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        KeepBestModel keep = LuzCallbacks.keepBestModel().monitor("train_loss");
        try (FittedModel fitted = Fixtures.classifier().fit(opts(3, keep, new Stateful(false), saveAt(1, ckpt)).build())) {
            int bestEpoch = keep.bestEpoch();
            double best = keep.best().getAsDouble();
            assertThat(bestEpoch).isGreaterThan(1);
            assertThatThrownBy(() -> fitted.fit(opts(3, keep, new Stateful(true)).resumeFrom(ckpt).build()))
                    .hasMessageContaining("forged");
            assertThat(keep.bestEpoch()).as("best epoch after a refused resume").isEqualTo(bestEpoch);
            assertThat(keep.best().getAsDouble()).isEqualTo(best);
        }
    }

    /** A reused schedule whose previous fit had other optimizer groups takes a valid resume. */
    @Test
    void aReusedScheduleTakesACheckpointWithTheNewFitsGroups(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        var twoGroups = Optimizers.adam().lr(0.01).group("w", n -> n.endsWith("weight"), 0.5);
        try (FittedModel writer = Fixtures.classifier(twoGroups).fit(opts(3,
                LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end"), saveAt(1, ckpt)).build())) {
            assertThat(writer.optimizer().groups()).hasSize(2);
        }
        LrSchedulerCallback reused = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end");
        try (FittedModel other = Fixtures.classifier().fit(opts(3, reused).build())) {
            assertThat(other.optimizer().groups()).hasSize(1);
        }
        assertThatCode(() -> Fixtures.classifier(twoGroups).fit(opts(3, reused).resumeFrom(ckpt).build()).close())
                .as("a valid resume refused because of the previous fit's live schedule")
                .doesNotThrowAnyException();
    }

    /** Resuming with a reused schedule on a new model leaves the earlier model's learning rate. */
    @Test
    void aResumeWithAReusedScheduleLeavesTheEarlierModelsLr(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel writer = Fixtures.classifier().fit(opts(3,
                LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end"), saveAt(1, ckpt)).build())) {
        }
        LrSchedulerCallback reused = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end");
        try (FittedModel other = Fixtures.classifier().fit(opts(3, reused).build())) {
            double lr = other.optimizer().groups().get(0).lr();
            try (FittedModel resumed = Fixtures.classifier().fit(opts(3, reused).resumeFrom(ckpt).build())) {
                // nothing
            }
            assertThat(other.optimizer().groups().get(0).lr()).as("another model's lr").isEqualTo(lr);
        }
    }

    /** A state loaded into a live schedule during a fit is not continued by a later fresh fit. */
    @Test
    void aStateLoadedDuringAFitDoesNotCarryIntoTheNextFreshFit() {
        LrSchedulerCallback reused = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end");
        Callback reload = Callback.on(Phase.EPOCH_END, ctx -> {
            if (ctx.epoch() == 2) {
                reused.loadState(reused.state()); // e.g. a user's rollback callback
            }
        });
        try (FittedModel a = Fixtures.classifier().fit(opts(3, reused, reload).build())) {
        }
        LrSchedulerCallback fresh = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end");
        try (FittedModel expected = Fixtures.classifier().fit(opts(3, fresh).build());
                FittedModel b = Fixtures.classifier().fit(opts(3, reused).build())) {
            assertThat(b.records().steps()).as("a fresh fit with the reused instance").isEqualTo(expected.records().steps());
        }
    }

    /**
     * A schedule planned for another length is refused when the fit begins, after the checkpoint
     * was read: the model is put back, weights, optimizer, records and counters.
     */
    @Test
    void aScheduleOfAnotherLengthIsRefusedWithTheModelAsItWas(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel fitted = Fixtures.classifier().fit(opts(3,
                LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end"), saveAt(1, ckpt)).build())) {
            float[][] before = Fixtures.parameters(fitted.block());
            var entries = java.util.List.copyOf(fitted.records().entries());
            var steps = java.util.List.copyOf(fitted.records().steps());
            long step = fitted.globalStep();
            double lr = fitted.optimizer().groups().get(0).lr();
            assertThatThrownBy(() -> fitted.fit(opts(5,
                    LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end")).resumeFrom(ckpt).build()))
                    .hasMessageContaining("was built for");
            assertThat(Fixtures.parameters(fitted.block())).as("weights").isDeepEqualTo(before);
            assertThat(fitted.records().entries()).as("records").isEqualTo(entries);
            assertThat(fitted.records().steps()).as("step records").isEqualTo(steps);
            assertThat(fitted.globalStep()).as("global step").isEqualTo(step);
            assertThat(fitted.optimizer().groups().get(0).lr()).as("lr").isEqualTo(lr);
        }
    }
}
