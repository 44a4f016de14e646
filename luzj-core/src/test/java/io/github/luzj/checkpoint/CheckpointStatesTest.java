package io.github.luzj.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.FittedModel;
import io.github.luzj.base.GradMode;
import io.github.luzj.base.LuzjException;
import io.github.luzj.record.Records;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Callbacks' bytes beside their JSON state: the states file, its version and its checks. */
class CheckpointStatesTest {

    private static final String KEY = "ExponentialMovingAverage(decay 0.9)";

    private static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        new Random(7).nextBytes(b);
        return b;
    }

    private static Checkpoint.Meta metaWith(Path ckpt, Map<String, byte[]> bytes) {
        Checkpoint.Info info = Checkpoint.info(ckpt);
        JsonObject state = new JsonObject();
        state.addProperty("kind", "ema");
        return new Checkpoint.Meta(
                new Checkpoint.Position(1, 0, info.position().globalStep()),
                Map.of(KEY, state), bytes, null, info.run());
    }

    private static void saveWith(Path ckpt, FittedModel m, Map<String, byte[]> bytes) {
        Checkpoint.save(ckpt, m.block(), m.optimizer(), m.records(), metaWith(ckpt, bytes), false);
    }

    private static Checkpoint.Meta load(Path ckpt, FittedModel m) {
        return Checkpoint.load(ckpt, m.block(), m.optimizer(), new Records(),
                Checkpoint.info(ckpt).run().config());
    }

    private static JsonObject json(Path ckpt) throws Exception {
        return JsonParser.parseString(Files.readString(ckpt.resolve(Checkpoint.META))).getAsJsonObject();
    }

    private static Path statesFile(Path ckpt) throws Exception {
        List<String> states = CheckpointWriteTest.names(ckpt).stream()
                .filter(n -> n.startsWith("states-")).toList();
        assertThat(states).hasSize(1);
        return ckpt.resolve(states.get(0));
    }

    private static float[] weights(FittedModel m) {
        return m.block().getParameters().valueAt(0).getArray().toFloatArray();
    }

    @Test
    void bytesGoToAStatesFileOfTheirOwnAndComeBackAsWritten(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ck");
        byte[] average = randomBytes(3 << 20); // 4 MiB in base64: kept out of checkpoint.json
        try (FittedModel fitted = CheckpointWriteTest.fitSaving(ckpt, 1)) {
            saveWith(ckpt, fitted, Map.of(KEY, average));
            JsonObject root = json(ckpt);
            assertThat(root.get("version").getAsInt()).isEqualTo(3);
            Path states = statesFile(ckpt);
            assertThat(root.getAsJsonObject("files").getAsJsonObject("states").get("name").getAsString())
                    .isEqualTo(states.getFileName().toString());
            assertThat(Files.size(ckpt.resolve(Checkpoint.META))).isLessThan(20_000);
            assertThat(Files.size(states)).isGreaterThan(average.length);

            Checkpoint.Meta back = load(ckpt, fitted);
            assertThat(back.callbackBytes()).containsOnlyKeys(KEY);
            assertThat(back.callbackBytes().get(KEY)).isEqualTo(average);

            // the next checkpoint without bytes is version 2 again and leaves no states file
            saveWith(ckpt, fitted, Map.of());
            assertThat(json(ckpt).get("version").getAsInt()).isEqualTo(2);
            assertThat(CheckpointWriteTest.names(ckpt)).noneMatch(n -> n.startsWith("states-"));
            assertThat(load(ckpt, fitted).callbackBytes()).isEmpty();
        }
    }

    @Test
    void aWriteThatCannotFinishLeavesNoStatesFile(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ck");
        try (FittedModel fitted = CheckpointWriteTest.fitSaving(ckpt, 1)) {
            List<String> before = CheckpointWriteTest.names(ckpt);
            assertThatThrownBy(() -> Checkpoint.save(ckpt, fitted.block(), fitted.optimizer(),
                            fitted.records(), metaWith(ckpt, Map.of(KEY, randomBytes(100))), false, 200))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("the previous one is kept");
            assertThat(CheckpointWriteTest.names(ckpt)).isEqualTo(before);
        }
    }

    @Test
    void aStatesFileChangedOnDiskIsRefusedBeforeTheWeightsChange(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ck");
        try (FittedModel fitted = CheckpointWriteTest.fitSaving(ckpt, 1)) {
            saveWith(ckpt, fitted, Map.of(KEY, randomBytes(1000)));
            Path states = statesFile(ckpt);
            byte[] b = Files.readAllBytes(states);
            b[b.length / 2] ^= 1;
            Files.write(states, b);
            float[] before = weights(fitted);
            try (GradMode ignored = GradMode.off()) {
                fitted.block().getParameters().valueAt(0).getArray().muli(0); // a read would overwrite it
            }
            assertThatThrownBy(() -> load(ckpt, fitted))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("is damaged: " + states.getFileName() + " does not match"
                            + " files.states");
            float[] after = weights(fitted);
            assertThat(after).hasSize(before.length);
            for (float v : after) {
                assertThat(v == 0).as("a weight the failed read left as it was").isTrue();
            }
        }
    }

    /** A states file as the writer lays it out, with {@code checkpoint.json} naming it anew. */
    private static void forge(Path ckpt, byte[] content) throws Exception {
        Path states = statesFile(ckpt);
        Files.write(states, content);
        JsonObject root = json(ckpt);
        JsonObject entry = root.getAsJsonObject("files").getAsJsonObject("states");
        entry.addProperty("bytes", content.length);
        entry.addProperty("sha256",
                HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)));
        Files.writeString(ckpt.resolve(Checkpoint.META), root.toString());
    }

    private static byte[] states(int count, Object... keyThenBytes) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(0x4C5A4A53);
        out.writeInt(count);
        for (Object o : keyThenBytes) {
            byte[] b = o instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) o;
            out.writeInt(b.length);
            out.write(b);
        }
        return bytes.toByteArray();
    }

    @Test
    void aForgedStatesFileIsOneMessageNamingWhatIsWrong(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ck");
        try (FittedModel fitted = CheckpointWriteTest.fitSaving(ckpt, 1)) {
            saveWith(ckpt, fitted, Map.of(KEY, randomBytes(10)));
            Map<byte[], String> forgeries = new java.util.LinkedHashMap<>();
            forgeries.put(states(1, "Timer", new byte[3]), "holds bytes for 'Timer', which has no state");
            forgeries.put(states(2, KEY, new byte[3], KEY, new byte[3]), "holds 2 callbacks' bytes, but 1");
            forgeries.put(states(1, KEY, new byte[3], new byte[0]), "has 4 bytes after its last callback's");
            forgeries.put(states(0), "holds 0 callbacks' bytes");
            byte[] cut = states(1, KEY, new byte[30]);
            forgeries.put(java.util.Arrays.copyOf(cut, cut.length - 10), "claims 30 bytes where 20 are left");
            forgeries.put(new byte[5], "is not a luzj states file");
            forgeries.put(new byte[2], "is cut short");
            byte[] huge = states(1, KEY, new byte[0]);
            huge[huge.length - 4] = 0x7f; // the bytes' length: 2 GiB, in a file of 51 bytes
            forgeries.put(huge, "claims 2130706432 bytes where 0 are left");
            for (Map.Entry<byte[], String> f : forgeries.entrySet()) {
                forge(ckpt, f.getKey());
                assertThatThrownBy(() -> load(ckpt, fitted))
                        .as(f.getValue())
                        .isExactlyInstanceOf(LuzjException.class)
                        .hasMessageContaining("is damaged: states-")
                        .hasMessageContaining(f.getValue());
            }
        }
    }

    @Test
    void theVersionAndTheStatesFileGoTogether(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ck");
        try (FittedModel fitted = CheckpointWriteTest.fitSaving(ckpt, 1)) {
            saveWith(ckpt, fitted, Map.of(KEY, randomBytes(10)));
            JsonObject root = json(ckpt);
            root.addProperty("version", 2);
            Files.writeString(ckpt.resolve(Checkpoint.META), root.toString());
            assertThatThrownBy(() -> Checkpoint.info(ckpt))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("files.states is there, but version 2 has no states file");
            root.addProperty("version", 3);
            root.getAsJsonObject("files").remove("states");
            Files.writeString(ckpt.resolve(Checkpoint.META), root.toString());
            assertThatThrownBy(() -> Checkpoint.info(ckpt))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("files.states is missing");
            root.addProperty("version", 4);
            Files.writeString(ckpt.resolve(Checkpoint.META), root.toString());
            assertThatThrownBy(() -> Checkpoint.info(ckpt))
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("has version 4 but this luzj reads 2 and 3");
        }
    }
}
