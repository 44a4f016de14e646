package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.fit.FitOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvLoggerTest {

    private static List<String> lines(Path p) {
        try {
            return Files.readAllLines(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void writesOneRowPerEpochAsTrainingGoes(@TempDir Path dir) {
        Path csv = dir.resolve("logs/history.csv");
        List<Integer> rowsSeen = new ArrayList<>();
        // runs after the logger (weight 10) at each epoch's end
        Callback reader = new Callback() {
            @Override
            public java.util.Set<Phase> callOn() {
                return java.util.EnumSet.of(Phase.EPOCH_END);
            }

            @Override
            public void on(Phase phase, io.github.luzj.callback.Context ctx) {
                rowsSeen.add(lines(csv).size() - 1);
            }

            @Override
            public int weight() {
                return CsvLogger.WEIGHT + 1;
            }
        };
        try (FittedModel fitted = Fixtures.fitClasses(
                Fixtures.classifier(), 3, true, LuzCallbacks.csvLogger(csv), reader)) {
            assertThat(rowsSeen).containsExactly(1, 2, 3);
            List<String> lines = lines(csv);
            assertThat(lines.get(0)).isEqualTo("epoch,train_loss,valid_loss");
            double[] train = fitted.records().values("train", "loss");
            double[] valid = fitted.records().values("valid", "loss");
            for (int e = 1; e <= 3; e++) {
                String[] cells = lines.get(e).split(",");
                assertThat(Integer.parseInt(cells[0])).isEqualTo(e);
                assertThat(Double.parseDouble(cells[1])).isEqualTo(train[e - 1]);
                assertThat(Double.parseDouble(cells[2])).isEqualTo(valid[e - 1]);
            }

            // fitting again continues the file, as the records continue
            fitted.fit(FitOptions.builder(Fixtures.trainClasses()).epochs(2).verbose(false)
                    .callbacks(LuzCallbacks.csvLogger(csv)).build());
            List<String> more = lines(csv);
            assertThat(more).hasSize(6).startsWith(lines.toArray(String[]::new));
            assertThat(more.get(5)).startsWith("5,").endsWith(","); // no validation: empty cell
        }
    }

    @Test
    void eachWriteIsAtomicAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path csv = dir.resolve("h.csv");
        try (FittedModel ignored = Fixtures.fitClasses(
                Fixtures.classifier(), 2, false, LuzCallbacks.csvLogger(csv))) {
            try (var files = Files.list(dir)) {
                assertThat(files.map(p -> p.getFileName().toString())).containsExactly("h.csv");
            }
            assertThat(lines(csv)).hasSize(3).first().isEqualTo("epoch,train_loss");
        }
    }

    @Test
    void aFileThatIsNotALuzjHistoryIsLeftAloneAndNothingTrains(@TempDir Path dir) throws IOException {
        Path csv = Files.writeString(dir.resolve("data.csv"), "x,y\n1,2\n3,4\n");
        List<Integer> batches = new ArrayList<>();
        Callback count = Callback.on(Phase.TRAIN_BATCH_END, ctx -> batches.add(ctx.batchIndex()));
        assertThatThrownBy(() -> Fixtures.fitClasses(
                        Fixtures.classifier(), 1, false, count, LuzCallbacks.csvLogger(csv)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the CSV log " + csv + " already holds a file that is not a luzj"
                        + " history (its first line is 'x,y')");
        assertThat(csv).hasContent("x,y\n1,2\n3,4\n");
        assertThat(batches).as("refused before any training").isEmpty();
        // an empty file, or a history of an earlier run, is written over
        Files.writeString(csv, "");
        try (FittedModel ignored = Fixtures.fitClasses(
                Fixtures.classifier(), 1, false, LuzCallbacks.csvLogger(csv))) {
            assertThat(lines(csv)).first().isEqualTo("epoch,train_loss");
        }
        try (FittedModel ignored = Fixtures.fitClasses(
                Fixtures.classifier(), 2, false, LuzCallbacks.csvLogger(csv))) {
            assertThat(lines(csv)).hasSize(3);
        }
    }

    @Test
    void aFolderAsTheLogIsRefusedBeforeAnyTraining(@TempDir Path dir) {
        List<Integer> batches = new ArrayList<>();
        Callback count = Callback.on(Phase.TRAIN_BATCH_END, ctx -> batches.add(ctx.batchIndex()));
        assertThatThrownBy(() -> Fixtures.fitClasses(
                        Fixtures.classifier(), 1, false, count, LuzCallbacks.csvLogger(dir)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the CSV log " + dir + " is a folder");
        assertThat(batches).isEmpty();
    }
}
