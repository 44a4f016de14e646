package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Phase;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.checkpoint.Checkpoint;
import io.github.luzj.testing.FakeContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelCheckpointTest {

    private static JsonObject meta(Path checkpoint) throws IOException {
        return new Gson().fromJson(
                Files.readString(checkpoint.resolve("checkpoint.json")), JsonObject.class);
    }

    private static List<String> folders(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesOneFolderPerEpochNamedByTheTemplate(@TempDir Path dir) throws IOException {
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint(
                dir + "/epoch-{epoch:02d}-{valid_loss:.4f}");
        try (FittedModel fitted = Fixtures.fitClasses(Fixtures.classifier(), 3, true, cb)) {
            double[] valid = fitted.records().values("valid", "loss");
            List<String> expected = new java.util.ArrayList<>();
            for (int e = 1; e <= 3; e++) {
                expected.add(String.format(Locale.ROOT, "epoch-%02d-%.4f", e, valid[e - 1]));
            }
            assertThat(folders(dir)).containsExactlyElementsOf(expected);
            for (int e = 1; e <= 3; e++) {
                Path p = dir.resolve(expected.get(e - 1));
                assertThat(Checkpoint.exists(p)).isTrue();
                assertThat(meta(p).get("epochs_done").getAsInt()).isEqualTo(e);
            }
            assertThat(cb.saved()).extracting(ModelCheckpoint.Saved::epoch)
                    .containsExactly(1, 2, 3);
            assertThat(cb.lastSaved().path()).isEqualTo(dir.resolve(expected.get(2)));
        }
    }

    @Test
    void withSaveBestOnlyOneFolderHoldsTheBestEpoch(@TempDir Path dir) throws IOException {
        // "best" by the highest validation loss, so that it is not simply the last epoch
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint(dir.resolve("best"))
                .mode("max").saveBestOnly(true);
        try (FittedModel fitted = Fixtures.fitClasses(Fixtures.classifier(), 4, true, cb)) {
            double[] valid = fitted.records().values("valid", "loss");
            int best = 0;
            for (int i = 1; i < valid.length; i++) {
                best = valid[i] > valid[best] ? i : best;
            }
            assertThat(folders(dir)).containsExactly("best");
            assertThat(meta(dir.resolve("best")).get("epochs_done").getAsInt())
                    .isEqualTo(best + 1);
            assertThat(cb.bestEpoch()).isEqualTo(best + 1);
            assertThat(cb.saved()).extracting(ModelCheckpoint.Saved::epoch)
                    .last().isEqualTo(best + 1);
        }
    }

    @Test
    void savesOnlyImprovingEpochsUnderTheirOwnNames() {
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint("ck/e{epoch}-{monitor:.2f}")
                .saveBestOnly(true);
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        double[] losses = {1.0, 0.8, 0.9, 0.7};
        for (int e = 1; e <= 4; e++) {
            cb.on(Phase.EPOCH_END, ctx.validLoss(e, losses[e - 1]));
        }
        assertThat(ctx.checkpoints).containsExactly(
                Path.of("ck/e1-1.00"), Path.of("ck/e2-0.80"), Path.of("ck/e4-0.70"));
    }

    @Test
    void aTemplateWhoseValuesRepeatReplacesTheEarlierEpochAndSaysSo() {
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint("ck/loss-{valid_loss:.0f}");
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        for (int e = 1; e <= 3; e++) {
            cb.on(Phase.EPOCH_END, ctx.validLoss(e, 1.2 - 0.1 * e));
        }
        assertThat(cb.saved()).extracting(ModelCheckpoint.Saved::epoch).containsExactly(3);
        assertThat(ctx.warnings).hasSize(2).first().asString()
                .contains("writes epoch 2 into ck/loss-1, where it saved epoch 1, replacing it")
                .contains("put {epoch} in it");
        // one folder asked for: overwritten without a word
        ModelCheckpoint last = LuzCallbacks.modelCheckpoint("ck/last");
        FakeContext quiet = new FakeContext();
        last.on(Phase.FIT_BEGIN, quiet);
        for (int e = 1; e <= 2; e++) {
            last.on(Phase.EPOCH_END, quiet.validLoss(e, 1.0 / e));
        }
        assertThat(quiet.warnings).isEmpty();
        assertThat(last.saved()).extracting(ModelCheckpoint.Saved::epoch).containsExactly(2);
        // an epoch cut short, saved, and saved again when finished after a resume: no collision
        ModelCheckpoint byEpoch = LuzCallbacks.modelCheckpoint("ck/epoch-{epoch}");
        FakeContext again = new FakeContext();
        byEpoch.on(Phase.FIT_BEGIN, again);
        byEpoch.on(Phase.EPOCH_END, again.validLoss(2, 0.9));
        byEpoch.on(Phase.EPOCH_END, again.validLoss(2, 0.8));
        assertThat(again.warnings).isEmpty();
    }

    @Test
    void aNaNEpochIsNotSaved() {
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint("ck/last");
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        cb.on(Phase.EPOCH_END, ctx.validLoss(1, 0.5));
        cb.on(Phase.EPOCH_END, ctx.validLoss(2, Double.NaN));
        assertThat(ctx.checkpoints).containsExactly(Path.of("ck/last"));
        assertThat(cb.lastSaved().epoch()).isEqualTo(1);
    }

    @Test
    void theSavedStateIncludesTheSchedulersStepOfThatEpoch(@TempDir Path dir) throws IOException {
        LrSchedulerCallback sched = LuzCallbacks.lrScheduler(LrSchedulers.step(1).gamma(0.5));
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint(dir + "/e{epoch}");
        // passed before the scheduler: the weights, not the order, decide who runs first
        try (FittedModel ignored = Fixtures.fitClasses(Fixtures.classifier(), 2, true, cb, sched)) {
            for (int e = 1; e <= 2; e++) {
                JsonObject callbacks = meta(dir.resolve("e" + e)).getAsJsonObject("callbacks");
                assertThat(callbacks.getAsJsonObject("LrSchedulerCallback(StepLR)")
                        .getAsJsonObject("scheduler").get("last_epoch").getAsInt()).isEqualTo(e);
                assertThat(callbacks.getAsJsonObject("ModelCheckpoint")
                        .getAsJsonObject("last_saved").get("epoch").getAsInt()).isEqualTo(e);
            }
        }
    }

    @Test
    void aFolderPathGetsLuzsDefaultName() {
        assertThat(LuzCallbacks.modelCheckpoint("runs/").pathTemplate())
                .isEqualTo("runs/epoch-{epoch:02d}-valid_loss-{monitor:.3f}");
        assertThat(LuzCallbacks.modelCheckpoint("runs/").monitor("train_acc").pathTemplate())
                .isEqualTo("runs/epoch-{epoch:02d}-train_acc-{monitor:.3f}");
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint("runs/");
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        cb.on(Phase.EPOCH_END, ctx.validLoss(7, 0.12345));
        assertThat(ctx.checkpoints).containsExactly(Path.of("runs/epoch-07-valid_loss-0.123"));
        // without validation the monitor falls back to the train loss, and the name says so
        ModelCheckpoint noValid = LuzCallbacks.modelCheckpoint("runs/");
        FakeContext train = new FakeContext();
        train.validBatches = 0;
        noValid.on(Phase.FIT_BEGIN, train);
        train.metrics("train", Map.of("loss", 0.7161));
        noValid.on(Phase.EPOCH_END, train.validLoss(1, 9.9));
        assertThat(train.checkpoints).containsExactly(Path.of("runs/epoch-01-train_loss-0.716"));
    }

    @Test
    void fillsEveryRecordedMetricAndNamesMissingOnes() {
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint("ck/{train_acc:.3f}-{valid_loss}");
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        ctx.metrics("train", Map.of("loss", 0.9, "acc", 0.51234));
        cb.on(Phase.EPOCH_END, ctx.validLoss(1, 0.25));
        assertThat(ctx.checkpoints).containsExactly(Path.of("ck/0.512-0.25"));

        ModelCheckpoint missing = LuzCallbacks.modelCheckpoint("ck/{valid_acc:.3f}");
        missing.on(Phase.FIT_BEGIN, ctx);
        assertThatThrownBy(() -> missing.on(Phase.EPOCH_END, ctx))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("path template 'ck/{valid_acc:.3f}' uses {valid_acc},"
                        + " which is not recorded this epoch; recorded are [monitor, train_");
    }

    /** The state of a checkpoint callback after one epoch at a validation loss of 0.5. */
    private static String stateAfterOneEpoch() {
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint("ck/e{epoch}");
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        cb.on(Phase.EPOCH_END, ctx.validLoss(1, 0.5));
        return new Gson().toJson(cb.state());
    }

    @Test
    void stateCarriesTheLastCheckpoint() {
        String saved = stateAfterOneEpoch();
        ModelCheckpoint resumed = LuzCallbacks.modelCheckpoint("ck/e{epoch}");
        resumed.loadState(new Gson().fromJson(saved, JsonElement.class));
        resumed.on(Phase.FIT_BEGIN, new FakeContext());
        assertThat(resumed.lastSaved())
                .isEqualTo(new ModelCheckpoint.Saved(1, Path.of("ck/e1"), 0.5));
        assertThat(resumed.best()).hasValue(0.5);
    }

    @Test
    void aForgedEpochInTheStateIsRefusedNotWrappedRound() {
        String saved = stateAfterOneEpoch();
        // Gson's getAsInt reads 1e10 as 1410065408
        for (String[] forged : new String[][] {{"\"best_epoch\":1", "\"best_epoch\":1e10", "best_epoch"},
                {"\"best_epoch\":1", "\"best_epoch\":-5", "best_epoch"},
                {"\"epoch\":1", "\"epoch\":2.5", "last_saved.epoch"}}) {
            assertThat(saved).contains(forged[0]);
            ModelCheckpoint resumed = LuzCallbacks.modelCheckpoint("ck/e{epoch}");
            assertThatThrownBy(() -> {
                        resumed.loadState(new Gson().fromJson(saved.replace(forged[0], forged[1]), JsonElement.class));
                        resumed.on(Phase.FIT_BEGIN, new FakeContext());
                    })
                    .as(forged[1])
                    .isInstanceOf(LuzjException.class)
                    .hasMessageStartingWith(forged[2] + " must be a whole number >= 0");
        }
    }

    @Test
    void pythonsZeroFillWithoutAWidthPadsNothingAndHugeWidthsAreRefusedAtConstruction() {
        ModelCheckpoint cb = LuzCallbacks.modelCheckpoint("ck/e{epoch:0d}-{epoch:00d}-{valid_loss:0.3f}");
        FakeContext ctx = new FakeContext();
        cb.on(Phase.FIT_BEGIN, ctx);
        cb.on(Phase.EPOCH_END, ctx.validLoss(3, 0.25));
        assertThat(ctx.checkpoints).containsExactly(Path.of("ck/e3-3-0.250"));
        assertThatThrownBy(() -> LuzCallbacks.modelCheckpoint("ck/{epoch:99999999999d}"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is wider than 255");
        assertThatThrownBy(() -> LuzCallbacks.modelCheckpoint("ck/{valid_loss:.9999f}"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("has a precision above 99");
    }

    @Test
    void badTemplatesAreRefusedAtConstruction() {
        assertThatThrownBy(() -> LuzCallbacks.modelCheckpoint("ck/{foo}"))
                .isInstanceOf(LuzjException.class)
                .hasMessage("unknown placeholder {foo} in path template 'ck/{foo}'; use {epoch},"
                        + " {monitor} or a metric such as {valid_loss} or {train_acc}");
        assertThatThrownBy(() -> LuzCallbacks.modelCheckpoint("ck/{valid_loss:02d}"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("formats whole numbers; use f, e or g for metrics");
        assertThatThrownBy(() -> LuzCallbacks.modelCheckpoint("ck/{epoch:x}"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("format 'x' of {epoch}")
                .hasMessageContaining("is not [0][width][.precision][d|f|e|g]");
        assertThatThrownBy(() -> LuzCallbacks.modelCheckpoint("ck/epoch-{epoch"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("has an unmatched brace in 'ck/epoch-{epoch'");
        assertThatThrownBy(() -> LuzCallbacks.modelCheckpoint(" "))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("path must name a checkpoint folder");
        assertThatThrownBy(() -> LuzCallbacks.modelCheckpoint((Path) null))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("path is null");
    }

    @Test
    void withAnAverageTheBestCheckpointResumesToTheWeightsThatWereValidated(@TempDir Path dir) {
        // validation runs on the EMA's average; the checkpoint holds the live weights (to train
        // on from) with the average in the EMA's state, and the fit's end swaps the average in
        Path best = dir.resolve("best");
        double bestLoss;
        try (FittedModel fitted = Fixtures.fitClasses(Fixtures.classifier(), 4, true,
                LuzCallbacks.ema(0.9), LuzCallbacks.modelCheckpoint(best).saveBestOnly(true))) {
            bestLoss = java.util.Arrays.stream(fitted.records().values("valid", "loss"))
                    .min().orElseThrow();
        }
        int epoch = Checkpoint.info(best).position().epochsDone();
        try (FittedModel resumed = Fixtures.classifier().fit(
                io.github.luzj.fit.FitOptions.builder(Fixtures.trainClasses())
                        .valid(Fixtures.validClasses()).epochs(epoch).verbose(false)
                        .callbacks(LuzCallbacks.ema(0.9),
                                LuzCallbacks.modelCheckpoint(dir.resolve("again")).saveBestOnly(true))
                        .resumeFrom(best).build())) {
            assertThat(resumed.evaluate(Fixtures.validClasses()).get("loss"))
                    .isCloseTo(bestLoss, org.assertj.core.data.Offset.offset(1e-5));
        }
    }
}
