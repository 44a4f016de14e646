package io.github.luzj.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The schedule command against PyTorch: each oracle case is given to it without its answers, and
 * the CSV it writes must hold PyTorch's sequence.
 */
class ScheduleCommandTest {

    static List<JsonObject> cases() throws Exception {
        try (var in = ScheduleCommandTest.class.getResourceAsStream("/oracles/lr_schedules.json")) {
            JsonObject root = JsonParser.parseReader(new InputStreamReader(in, StandardCharsets.UTF_8)).getAsJsonObject();
            return root.getAsJsonArray("cases").asList().stream()
                    .map(JsonElement::getAsJsonObject)
                    .filter(c -> !c.getAsJsonObject("scheduler").has("lambda")) // Python lambdas
                    .toList();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void writesPyTorchsSequence(JsonObject oracle, @org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        JsonObject question = oracle.deepCopy();
        question.remove("lr");
        question.remove("momentum");
        Path spec = tmp.resolve("spec.json");
        Files.writeString(spec, question.toString());
        Path out = tmp.resolve("out");
        assertThat(Main.execute("schedule", "--spec", spec.toString(), "--out", out.toString())).isZero();
        List<String> rows = Files.readAllLines(out.resolve("schedule.csv"));
        assertThat(rows.get(0)).isEqualTo("step,lr,momentum");
        JsonArray lr = oracle.getAsJsonArray("lr");
        JsonArray momentum = oracle.has("momentum") ? oracle.getAsJsonArray("momentum") : null;
        assertThat(rows).hasSize(lr.size() + 1);
        for (int i = 0; i < lr.size(); i++) {
            String[] cells = rows.get(i + 1).split(",", -1);
            assertThat(Integer.parseInt(cells[0])).isEqualTo(i);
            double want = lr.get(i).getAsDouble();
            assertThat(Double.parseDouble(cells[1])).isCloseTo(want, org.assertj.core.data.Offset.offset(Math.abs(want) * 1e-9 + 1e-15));
            if (momentum != null) {
                assertThat(Double.parseDouble(cells[2])).isCloseTo(momentum.get(i).getAsDouble(), org.assertj.core.data.Offset.offset(1e-9));
            } else {
                assertThat(cells[2]).isEmpty();
            }
        }
        var png = ImageIO.read(out.resolve("schedule.png").toFile());
        assertThat(png.getWidth()).isEqualTo(800);
    }

    @org.junit.jupiter.api.Test
    void aLargeCountStreamsItsCsvAndDrawsADownsampledCurve(@org.junit.jupiter.api.io.TempDir Path tmp)
            throws Exception {
        Path spec = Files.writeString(tmp.resolve("spec.json"), "{\"name\": \"long\","
                + " \"optimizer\": {\"name\": \"adam\", \"lr\": 0.001}, \"scheduler\": {\"kind\":"
                + " \"OneCycleLR\", \"args\": {\"max_lr\": 0.01, \"total_steps\": 300000}},"
                + " \"steps\": 300000}");
        Path out = tmp.resolve("out");
        assertThat(Main.execute("schedule", "--spec", spec.toString(), "--out", out.toString())).isZero();
        try (var rows = Files.lines(out.resolve("schedule.csv"))) {
            assertThat(rows.count()).isEqualTo(300_001);
        }
        assertThat(ImageIO.read(out.resolve("schedule.png").toFile()).getWidth()).isEqualTo(800);
        assertThat(Files.readString(out.resolve(io.github.luzj.base.OutputSet.MANIFEST)))
                .contains("\"schedule.csv\"", "\"schedule.png\"");
        try (var all = Files.walk(tmp)) {
            assertThat(all.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.endsWith(".tmp") || n.contains(".staging-"));
        }
    }
}
