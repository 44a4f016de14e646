package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.callbacks.lr.LrSchedulers;
import io.github.luzj.fit.FitOptions;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Callbacks' states across a resume: taken up by the resumed fit, forgotten when it fails before
 * it began, refused before the model changes, and not kept twice on the heap.
 */
class CallbackStatesResumeTest {

    private static Callback saveAt(int epoch, Path ckpt) {
        return Callback.on(Phase.EPOCH_END, ctx -> {
            if (ctx.epoch() == epoch) {
                ctx.saveCheckpoint(ckpt);
            }
        });
    }

    /** Any failure after the callbacks' states are loaded and before the fit takes them up. */
    private static final Callback BOOM = Callback.on(Phase.FIT_BEGIN, ctx -> {
        throw new IllegalStateException("boom at fit begin");
    });

    /** Saves at the epoch's end after KeepBestModel (50) has observed it, as ModelCheckpoint (100) does. */
    private static Callback saveLateAt(int epoch, Path ckpt) {
        return new Callback() {
            public java.util.Set<Phase> callOn() { return java.util.EnumSet.of(Phase.EPOCH_END); }
            public int weight() { return 100; }
            public void on(Phase phase, io.github.luzj.callback.Context ctx) {
                if (ctx.epoch() == epoch) {
                    ctx.saveCheckpoint(ckpt);
                }
            }
        };
    }

    @Test
    void aCheckpointFromTheFirstEpochResumesWithAMonitorThatHasNoBestYet(@TempDir Path dir) {
        Path state = dir.resolve("state");
        Callback crash = Callback.on(Phase.TRAIN_BATCH_END, ctx -> {
            if (ctx.epoch() == 1 && ctx.batchIndex() == 3) {
                throw new IllegalStateException("simulated crash");
            }
        });
        assertThatThrownBy(() -> Fixtures.classifier().fit(opts(3, LuzCallbacks.keepBestModel(),
                LuzCallbacks.autoResume(state).everyBatches(2), crash).build()))
                .hasMessageContaining("simulated crash");
        assertThat(AutoResume.resumePoint(state)).isNotNull();
        try (FittedModel resumed = Fixtures.classifier().fit(opts(3, LuzCallbacks.keepBestModel(),
                LuzCallbacks.autoResume(state).everyBatches(2)).resumeFrom(AutoResume.resumePoint(state)).build())) {
            assertThat(resumed.records().epochs()).isEqualTo(3);
        }
    }

    private static FitOptions.Builder opts(int epochs, Callback... cbs) {
        return FitOptions.builder(Fixtures.trainClasses()).valid(Fixtures.validClasses())
                .epochs(epochs).verbose(false).callbacks(cbs);
    }

    @Test
    void aFailedResumeLeavesNoKeepBestModelCopyForTheInstancesNextFit(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel ignored = Fixtures.classifier().fit(
                opts(3, LuzCallbacks.keepBestModel(), saveAt(3, ckpt)).build())) {
            // a checkpoint with a KeepBestModel copy in its states file
        }
        KeepBestModel keep = LuzCallbacks.keepBestModel();
        assertThatThrownBy(() -> Fixtures.classifier().fit(
                opts(3, keep, BOOM).resumeFrom(ckpt).build())).hasMessageContaining("boom");

        // the same instance in a fresh fit, no resume
        KeepBestModel reference = LuzCallbacks.keepBestModel();
        try (FittedModel expected = Fixtures.classifier().fit(opts(1, reference).build());
                FittedModel fresh = Fixtures.classifier().fit(opts(1, keep).build())) {
            assertThat(Fixtures.parameters(fresh.block()))
                    .as("a fresh fit ends with its own weights, not the failed resume's checkpoint's")
                    .isDeepEqualTo(Fixtures.parameters(expected.block()));
            assertThat(keep.bestEpoch()).as("a fresh 1-epoch fit's best epoch").isEqualTo(reference.bestEpoch());
        }
    }

    @Test
    void aFailedResumeLeavesNoEmaAverageForTheInstancesNextFit(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel ignored = Fixtures.classifier().fit(
                opts(2, LuzCallbacks.ema(0.8), saveAt(1, ckpt)).build())) {
            // checkpoint at epoch 1: 5 updates
        }
        ExponentialMovingAverage ema = LuzCallbacks.ema(0.8);
        assertThatThrownBy(() -> Fixtures.classifier().fit(
                opts(2, BOOM, ema).resumeFrom(ckpt).build())).hasMessageContaining("boom");
        try (FittedModel expected = Fixtures.classifier().fit(opts(1, LuzCallbacks.ema(0.8)).build());
                FittedModel fresh = Fixtures.classifier().fit(opts(1, ema).build())) {
            assertThat(ema.updates()).as("updates of a fresh 5-batch fit").isEqualTo(5);
            assertThat(Fixtures.parameters(fresh.block())).isDeepEqualTo(Fixtures.parameters(expected.block()));
        }
    }

    private static Path statesFile(Path ckpt) throws Exception {
        try (Stream<Path> s = Files.list(ckpt)) {
            return s.filter(p -> p.getFileName().toString().startsWith("states-")).findFirst().orElseThrow();
        }
    }

    @Test
    void aForgedAverageIsRefusedBeforeTheModelChanges(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        String key = "ExponentialMovingAverage(decay 0.8)";
        try (FittedModel fitted = Fixtures.classifier().fit(
                opts(2, LuzCallbacks.ema(0.8), saveAt(1, ckpt)).build())) {
            // a states file whose frame, key and digest are right, but whose average is not arrays
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(b);
            out.writeInt(0x4C5A4A53);
            out.writeInt(1);
            byte[] k = key.getBytes(StandardCharsets.UTF_8);
            out.writeInt(k.length);
            out.write(k);
            byte[] garbage = new byte[] {0, 0, 0, 1, 0, 1, 'x', 0, 0, 0, 2, 9, 9};
            out.writeInt(garbage.length);
            out.write(garbage);
            byte[] content = b.toByteArray();
            Path states = statesFile(ckpt);
            Files.write(states, content);
            JsonObject root = JsonParser.parseString(Files.readString(ckpt.resolve("checkpoint.json"))).getAsJsonObject();
            JsonObject entry = root.getAsJsonObject("files").getAsJsonObject("states");
            entry.addProperty("bytes", content.length);
            entry.addProperty("sha256", HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
            Files.writeString(ckpt.resolve("checkpoint.json"), root.toString());

            float[][] before = Fixtures.parameters(fitted.block());
            int recordsBefore = fitted.records().epochs();
            assertThatThrownBy(() -> fitted.fit(opts(2, LuzCallbacks.ema(0.8)).resumeFrom(ckpt).build()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("copy of the weights in the checkpoint's states file has an array 1 that has a header cut short");
            assertThat(fitted.records().epochs()).isEqualTo(recordsBefore);
            assertThat(Fixtures.parameters(fitted.block()))
                    .as("a refused resume leaves the model's weights as they were")
                    .isDeepEqualTo(before);
        }
    }

    @Test
    void keepBestModelOnTheEmasValidationResumesBitwiseAtAnyEpoch(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        for (int at : new int[] {1, 2, 3}) {
            try (FittedModel full = Fixtures.classifier().fit(
                            opts(4, LuzCallbacks.ema(0.8), LuzCallbacks.keepBestModel()).build());
                    FittedModel first = Fixtures.classifier().fit(
                            opts(4, LuzCallbacks.ema(0.8), LuzCallbacks.keepBestModel(), saveLateAt(at, ckpt))
                                    .overwriteCheckpoints(true).build());
                    FittedModel resumed = Fixtures.classifier().fit(
                            opts(4, LuzCallbacks.ema(0.8), LuzCallbacks.keepBestModel()).resumeFrom(ckpt).build())) {
                assertThat(Fixtures.parameters(resumed.block())).as("resumed at " + at)
                        .isDeepEqualTo(Fixtures.parameters(full.block()));
            }
        }
    }

    /** A callback with bytes beside its state, which remembers the loaded array weakly. */
    static final class Bytes implements Callback {
        java.lang.ref.WeakReference<byte[]> loaded;
        boolean stillHeld;
        public java.util.Set<Phase> callOn() { return java.util.EnumSet.of(Phase.FIT_BEGIN, Phase.EPOCH_END); }
        public com.google.gson.JsonElement state() { return new com.google.gson.JsonPrimitive(1); }
        public byte[] stateBytes() { return new byte[8 << 20]; }
        public void loadStateBytes(byte[] b) { loaded = new java.lang.ref.WeakReference<>(b); }
        public void on(Phase phase, io.github.luzj.callback.Context ctx) {
            if (phase == Phase.EPOCH_END && loaded != null) {
                for (int i = 0; i < 5 && loaded.get() != null; i++) {
                    System.gc();
                }
                stillHeld = loaded.get() != null;
            }
        }
    }

    @Test
    void aResumedFitDoesNotHoldTheStatesFilesBytesOnceTheCallbacksHaveThem(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel ignored = Fixtures.classifier().fit(opts(1, new Bytes(), saveAt(1, ckpt)).build())) {
        }
        Bytes b = new Bytes();
        try (FittedModel resumed = Fixtures.classifier().fit(opts(2, b).resumeFrom(ckpt).build())) {
            assertThat(b.loaded).isNotNull();
            assertThat(b.stillHeld).as("the 8 MiB a callback took up at the resume, still reachable from the fit").isFalse();
        }
    }

    @Test
    void aResumeRefusedForOtherCallbacksLeavesTheModelAsItWas(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel fitted = Fixtures.classifier().fit(
                opts(2, LuzCallbacks.ema(0.8), saveAt(1, ckpt)).build())) {
            float[][] before = Fixtures.parameters(fitted.block());
            int epochsBefore = fitted.records().epochs();
            // forgot the EMA: refused before the checkpoint is read into the model
            assertThatThrownBy(() -> fitted.fit(opts(2).resumeFrom(ckpt).build()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("callbacks differ");
            assertThat(fitted.records().epochs()).isEqualTo(epochsBefore);
            assertThat(Fixtures.parameters(fitted.block())).isDeepEqualTo(before);
        }
    }

    @Test
    void aScheduleInstanceThatServedAFitStillContinuesTheCheckpointsSchedule(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        LrSchedulerCallback reused = LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end");
        try (FittedModel full = Fixtures.classifier().fit(opts(3,
                        LuzCallbacks.lrScheduler(LrSchedulers.oneCycle(0.05), "on_batch_end")).build());
                FittedModel first = Fixtures.classifier().fit(opts(3, reused, saveAt(1, ckpt)).build());
                FittedModel resumed = Fixtures.classifier().fit(opts(3, reused).resumeFrom(ckpt).build())) {
            assertThat(resumed.records().steps()).isEqualTo(full.records().steps());
            assertThat(Fixtures.parameters(resumed.block())).isDeepEqualTo(Fixtures.parameters(full.block()));
        }
    }
}
