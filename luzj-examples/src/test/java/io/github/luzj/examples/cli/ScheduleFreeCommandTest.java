package io.github.luzj.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import io.github.luzj.examples.chapter.ScheduleFreeExperiment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** schedule-free on the bundled subset, with --tensorboard, and its bad arguments. */
class ScheduleFreeCommandTest {

    @Test
    void trainsWritesItsSummaryAndTensorBoardLogs(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("sf");
        Path tb = tmp.resolve("tb");
        assertThat(Main.execute(ResumeCliTest.args("schedule-free", "--epochs", "1", "--out",
                out.toString(), "--tensorboard", tb.toString()))).isZero();
        JsonObject s = ResumeCliTest.summary(out);
        assertThat(s.get("command").getAsString()).isEqualTo("schedule-free");
        assertThat(s.get("lr").getAsDouble()).isEqualTo(Double.parseDouble(ScheduleFreeExperiment.DEFAULT_LR));
        assertThat(s.get("optimizer").getAsString()).startsWith("AdamWScheduleFree(lr=0.005");
        assertThat(s.get("epochs").getAsInt()).isEqualTo(1);
        assertThat(s.get("steps_per_epoch").getAsInt()).isEqualTo(5); // 640 images, batch 128
        assertThat(s.get("valid_accuracy").getAsDouble()).isBetween(0.0, 1.0);
        try (Stream<Path> files = Files.list(tb)) {
            Path events = files.filter(p -> p.getFileName().toString().startsWith("events.out.tfevents."))
                    .findFirst().orElseThrow();
            assertThat(Files.size(events)).isGreaterThan(100);
        }
    }

    @Test
    void badArgumentsAreOneLineAndExitCodeTwo(@TempDir Path tmp) {
        assertOneLineError(CliErrorsTest.run(ResumeCliTest.args("schedule-free", "--lr", "-1", "--out",
                tmp.toString())), "lr");
        assertOneLineError(CliErrorsTest.run(ResumeCliTest.args("schedule-free", "--warmup-steps", "-3", "--out",
                tmp.toString())), "warmup");
    }

    private static void assertOneLineError(CliErrorsTest.Run r, String names) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().filter(l -> l.startsWith("error: ")).toList())
                .singleElement().asString().contains(names);
        assertThat(r.err()).doesNotContain("\tat ");
    }
}
