package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.DataLoader;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ExponentialMovingAverageTest {

    private static DataLoader regression() {
        return Fixtures.loader(Fixtures.regression(24, 3), 6, true);
    }

    private static float[] flat(ai.djl.nn.Block block) {
        List<Float> out = new ArrayList<>();
        for (float[] p : Fixtures.parameters(block)) {
            for (float v : p) {
                out.add(v);
            }
        }
        float[] a = new float[out.size()];
        for (int i = 0; i < a.length; i++) {
            a[i] = out.get(i);
        }
        return a;
    }

    /** Fits the linear unit 2 epochs (8 steps), returning the live weights seen at each step. */
    private static List<float[]> fit(ExponentialMovingAverage ema, List<FittedModel> out) {
        List<float[]> seen = new ArrayList<>();
        Callback record =
                Callback.on(Phase.FIT_BEGIN, ctx -> seen.add(flat(ctx.block())),
                        Phase.TRAIN_BATCH_AFTER_STEP);
        FittedModel m =
                Fixtures.linear(Optimizers.sgd().lr(0.05))
                        .fit(FitOptions.builder(regression())
                                .valid(Fixtures.loader(Fixtures.regression(12, 4), 6, false))
                                .epochs(2)
                                .callbacks(record, ema)
                                .verbose(false)
                                .build());
        out.add(m);
        return seen;
    }

    private static double[] handAverage(List<float[]> seen, ExponentialMovingAverage ema) {
        double[] avg = new double[seen.get(0).length];
        for (int i = 0; i < avg.length; i++) {
            avg[i] = seen.get(0)[i];
        }
        for (int t = 1; t < seen.size(); t++) {
            double d = ema.decayAt(t);
            for (int i = 0; i < avg.length; i++) {
                avg[i] = d * avg[i] + (1 - d) * seen.get(t)[i];
            }
        }
        return avg;
    }

    @Test
    void theFittedModelHoldsTheHandComputedAverageAndValidatesOnIt() {
        for (ExponentialMovingAverage ema :
                List.of(LuzCallbacks.ema(0.7), LuzCallbacks.ema(0.9).warmup(true))) {
            List<FittedModel> out = new ArrayList<>();
            List<float[]> seen = fit(ema, out);
            try (FittedModel m = out.get(0)) {
                assertThat(seen).hasSize(1 + 8);
                assertThat(ema.updates()).isEqualTo(8);
                double[] want = handAverage(seen, ema);
                float[] got = flat(m.block());
                for (int i = 0; i < want.length; i++) {
                    assertThat((double) got[i]).as("%s %d", ema.name(), i)
                            .isCloseTo(want[i], within(1e-6));
                }
                assertThat(got).isNotEqualTo(seen.get(seen.size() - 1));
                double[] valid = m.records().values("valid", "loss");
                assertThat(m.evaluate(Fixtures.loader(Fixtures.regression(12, 4), 6, false))
                                .get("loss"))
                        .isCloseTo(valid[valid.length - 1], within(1e-6));
            }
        }
        assertThat(LuzCallbacks.ema(0.9).warmup(true).decayAt(1)).isCloseTo(2.0 / 11, within(1e-15));
        assertThat(LuzCallbacks.ema(0.9).warmup(true).decayAt(1000)).isEqualTo(0.9);
    }

    @Test
    void keepAverageAtEndFalseLeavesTheLiveWeights() {
        List<FittedModel> out = new ArrayList<>();
        List<float[]> seen = fit(LuzCallbacks.ema(0.7).keepAverageAtEnd(false), out);
        try (FittedModel m = out.get(0)) {
            assertThat(flat(m.block())).containsExactly(seen.get(seen.size() - 1));
        }
    }

    @Test
    void aResumedFitContinuesTheAverageExactly(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        Callback save = Callback.on(Phase.EPOCH_END, ctx -> {
            if (ctx.epoch() == 1) {
                ctx.saveCheckpoint(ckpt);
            }
        });
        try (FittedModel full =
                        Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                                .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                                .callbacks(LuzCallbacks.ema(0.8)).build());
                FittedModel first =
                        Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                                .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                                .callbacks(LuzCallbacks.ema(0.8), save).build());
                FittedModel resumed =
                        Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                                .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                                .callbacks(LuzCallbacks.ema(0.8)).resumeFrom(ckpt).build())) {
            assertThat(flat(resumed.block())).containsExactly(flat(full.block()));
            assertThat(resumed.records().values("valid", "loss"))
                    .containsExactly(full.records().values("valid", "loss"));
        }
    }

    @Test
    void theAverageIsInTheStatesFileAndAnEarlierLuzjsJsonAverageStillResumes(@TempDir Path dir)
            throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Callback save = Callback.on(Phase.EPOCH_END, ctx -> {
            if (ctx.epoch() == 1) {
                ctx.saveCheckpoint(ckpt);
            }
        });
        try (FittedModel full = Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                        .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                        .callbacks(LuzCallbacks.ema(0.8)).build());
                FittedModel first = Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                        .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                        .callbacks(LuzCallbacks.ema(0.8), save).build())) {
            JsonObject root = JsonParser.parseString(Files.readString(ckpt.resolve("checkpoint.json")))
                    .getAsJsonObject();
            JsonObject state = root.getAsJsonObject("callbacks").getAsJsonObject("ExponentialMovingAverage(decay 0.8)");
            assertThat(state.keySet()).containsExactlyInAnyOrder("kind", "updates");
            JsonObject states = root.getAsJsonObject("files").getAsJsonObject("states");
            Path statesFile = ckpt.resolve(states.get("name").getAsString());

            // rewrite it as luzj wrote it before the states file: the average in checkpoint.json
            byte[] average = onlyEntry(Files.readAllBytes(statesFile));
            try (ParameterCopy copy = ParameterCopy.fromBytes(
                    average, first.block(), first.model().getNDManager(), "test")) {
                state.add("average", earlierJson(first.block(), copy));
            }
            root.getAsJsonObject("files").remove("states");
            root.addProperty("version", 2);
            Files.delete(statesFile);
            Files.writeString(ckpt.resolve("checkpoint.json"), root.toString());

            try (FittedModel resumed = Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                    .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                    .callbacks(LuzCallbacks.ema(0.8)).resumeFrom(ckpt).build())) {
                assertThat(flat(resumed.block())).containsExactly(flat(full.block()));
            }
        }
    }

    /** The one callback's bytes in a states file: magic, count, key, bytes. */
    private static byte[] onlyEntry(byte[] file) throws java.io.IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(new java.io.ByteArrayInputStream(file));
        assertThat(in.readInt()).isEqualTo(0x4C5A4A53);
        assertThat(in.readInt()).isEqualTo(1);
        in.readFully(new byte[in.readInt()]);
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        return bytes;
    }

    /** The average as luzj wrote it into checkpoint.json before the states file. */
    private static JsonArray earlierJson(ai.djl.nn.Block block, ParameterCopy copy) {
        JsonArray out = new JsonArray();
        List<String> names = block.getParameters().keys();
        for (int i = 0; i < copy.arrays().size(); i++) {
            ai.djl.ndarray.NDArray a = copy.arrays().get(i);
            JsonObject o = new JsonObject();
            o.addProperty("name", names.get(i));
            JsonArray shape = new JsonArray();
            for (long d : a.getShape().getShape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            o.addProperty("dtype", a.getDataType().name());
            o.addProperty("data", Base64.getEncoder().encodeToString(a.toByteArray()));
            out.add(o);
        }
        return out;
    }

    @Test
    void anAverageNotMadeByAFitIsSaidSoAndTheSameOneTwiceInAFitIsRefused() {
        ExponentialMovingAverage ema = LuzCallbacks.ema(0.9);
        try (FittedModel m = Fixtures.fitClasses(Fixtures.classifier(), 1, false)) {
            assertThatThrownBy(() -> m.evaluate(Fixtures.validClasses(), ema))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("holds no average: it makes one during fit; pass it to fit"
                            + " first");
        }
        // a second entry would copy the average it had swapped in as the live weights
        assertThatThrownBy(() -> Fixtures.fitClasses(Fixtures.classifier(), 1, true, ema, ema))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is passed twice to one fit");
    }

    @Test
    void aDecayOutsideTheRangeIsRefused() {
        assertThatThrownBy(() -> LuzCallbacks.ema(1.0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("decay");
    }
}
