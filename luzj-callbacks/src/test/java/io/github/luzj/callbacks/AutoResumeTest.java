package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.fit.FitOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AutoResumeTest {

    /** Fails once, at the given epoch and batch (batch -1: at the epoch's end). */
    private static Callback crashOnce(int epoch, int batch, boolean[] crashed) {
        Phase at = batch < 0 ? Phase.EPOCH_END : Phase.TRAIN_BATCH_END;
        return Callback.on(at, ctx -> {
            if (!crashed[0] && ctx.epoch() == epoch && (batch < 0 || ctx.batchIndex() == batch)) {
                crashed[0] = true;
                throw new IllegalStateException("simulated crash");
            }
        });
    }

    /** The same program run until it completes, resuming from {@code dir} each time. */
    private static FittedModel runUntilDone(Path dir, AutoResume autoResume, Callback crash,
            List<Path> resumedFrom) {
        while (true) {
            Path from = AutoResume.resumePoint(dir);
            resumedFrom.add(from);
            try {
                return Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                        .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                        .callbacks(crash, autoResume).resumeFrom(from).build());
            } catch (LuzjException e) {
                assertThat(e).hasMessageContaining("simulated crash");
            }
        }
    }

    private static int[] position(Path dir) throws IOException {
        JsonObject meta = new Gson().fromJson(
                Files.readString(dir.resolve("checkpoint.json")), JsonObject.class);
        return new int[] {meta.get("epochs_done").getAsInt(), meta.get("batches_done").getAsInt()};
    }

    @Test
    void aCrashedRunResumesFromTheLastEpochAndMatchesAnUninterruptedOne(@TempDir Path tmp) {
        Path dir = tmp.resolve("state");
        boolean[] crashed = {false};
        List<Path> resumedFrom = new ArrayList<>();
        Callback crash = crashOnce(2, -1, crashed);
        try (FittedModel full = Fixtures.fitClasses(Fixtures.classifier(), 3, true);
                FittedModel resumed =
                        runUntilDone(dir, LuzCallbacks.autoResume(dir), crash, resumedFrom)) {
            assertThat(resumedFrom).containsExactly(null, dir);
            assertThat(resumed.records().epochs()).isEqualTo(3);
            assertThat(Fixtures.parameters(resumed.block()))
                    .isDeepEqualTo(Fixtures.parameters(full.block()));
            assertThat(resumed.records().values("valid", "loss"))
                    .containsExactly(full.records().values("valid", "loss"));
        }
        assertThat(Files.exists(dir)).as("deleted at the successful fit's end").isFalse();
        assertThat(AutoResume.resumePoint(dir)).isNull();
    }

    @Test
    void savesEveryNBatchesAndResumesMidEpoch(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("state");
        boolean[] crashed = {false};
        // crash at the end of batch index 3 of epoch 2, before the auto-resume's save there
        Callback crash = crashOnce(2, 3, crashed);
        AutoResume autoResume = LuzCallbacks.autoResume(dir).everyBatches(2);
        try (FittedModel ignored = Fixtures.classifier().fit(
                FitOptions.builder(Fixtures.trainClasses()).valid(Fixtures.validClasses())
                        .epochs(3).verbose(false).callbacks(crash, autoResume).build())) {
            throw new AssertionError("the fit should have crashed");
        } catch (LuzjException e) {
            assertThat(position(dir)).containsExactly(1, 2);
        }
        List<Path> resumedFrom = new ArrayList<>();
        try (FittedModel full = Fixtures.fitClasses(Fixtures.classifier(), 3, true);
                FittedModel resumed = runUntilDone(dir, autoResume, crash, resumedFrom)) {
            assertThat(resumedFrom).containsExactly(dir);
            assertThat(resumed.globalStep()).isEqualTo(15);
            assertThat(Fixtures.parameters(resumed.block()))
                    .isDeepEqualTo(Fixtures.parameters(full.block()));
        }
        assertThat(Files.exists(dir)).isFalse();
    }

    @Test
    void itRunsLastAtAnEpochsEnd() {
        assertThat(AutoResume.WEIGHT)
                .isGreaterThan(ModelCheckpoint.WEIGHT)
                .isGreaterThan(EarlyStopping.WEIGHT)
                .isGreaterThan(CsvLogger.WEIGHT);
    }

    @Test
    void argumentErrorsNameTheArgumentAndTheValue() {
        assertThatThrownBy(() -> LuzCallbacks.autoResume(Path.of("s")).everyBatches(-1))
                .isInstanceOf(LuzjException.class)
                .hasMessage("everyBatches must be >= 0, got -1");
        assertThatThrownBy(() -> LuzCallbacks.autoResume(null))
                .isInstanceOf(LuzjException.class)
                .hasMessage("dir is null; pass the folder to keep the run's state in");
        assertThatThrownBy(() -> AutoResume.resumePoint(null))
                .isInstanceOf(LuzjException.class);
    }

    @Test
    void forgettingResumeFromIsRefusedAndTheFitEndDeletesOnlyLuzjsFiles(@TempDir Path tmp)
            throws Exception {
        Path dir = tmp.resolve("state");
        boolean[] crashed = {false};
        assertThatThrownBy(() -> Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                        .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                        .callbacks(crashOnce(2, -1, crashed), LuzCallbacks.autoResume(dir)).build()))
                .hasMessageContaining("simulated crash");
        String crashState = Files.readString(dir.resolve("checkpoint.json"));
        // the program started again without resumeFrom: the crashed run's state is kept
        assertThatThrownBy(() -> Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                        .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                        .callbacks(LuzCallbacks.autoResume(dir)).build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("holds a checkpoint of an earlier run (epoch 1 of 3");
        assertThat(Files.readString(dir.resolve("checkpoint.json"))).isEqualTo(crashState);
        Files.writeString(dir.resolve("notes.txt"), "mine");
        try (FittedModel done = Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                .callbacks(LuzCallbacks.autoResume(dir)).resumeFrom(AutoResume.resumePoint(dir))
                .build())) {
            assertThat(done.records().epochs()).isEqualTo(3);
        }
        try (var left = Files.list(dir)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("notes.txt");
        }
    }

    @Test
    void aModelCheckpointInTheSameFolderIsRefusedAndKept(@TempDir Path tmp) throws IOException {
        Path dir = tmp.resolve("state");
        // ModelCheckpoint runs first at an epoch's end; AutoResume would overwrite its best
        // checkpoint at every epoch and delete it at the fit's end
        assertThatThrownBy(() -> Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                        .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                        .callbacks(LuzCallbacks.modelCheckpoint(dir).saveBestOnly(true),
                                LuzCallbacks.autoResume(dir))
                        .build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the resume folder " + dir + " now holds a checkpoint"
                        + " AutoResume did not write (epoch 1 of 3")
                .hasMessageContaining("give AutoResume a folder of its own");
        assertThat(position(dir)).as("ModelCheckpoint's epoch-1 checkpoint stays").containsExactly(1, 0);
    }

    @Test
    void aCallbackSavingIntoTheFolderMidEpochIsFoundBeforeTheFitEndDeletesIt(@TempDir Path tmp)
            throws IOException {
        Path dir = tmp.resolve("state");
        Callback mine = Callback.on(Phase.TRAIN_BATCH_END, ctx -> {
            if (ctx.epoch() == 3 && ctx.batchIndex() == 1) {
                ctx.saveCheckpoint(dir);
            }
        });
        assertThatThrownBy(() -> Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                        .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                        .callbacks(mine, LuzCallbacks.autoResume(dir)).build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("AutoResume did not write (epoch 2 + 2 batches of 3")
                .hasMessageContaining("would have overwritten it");
        assertThat(position(dir)).containsExactly(2, 2);
    }
}
