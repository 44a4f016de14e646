package io.github.luzj.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BatchNormComparisonTest {

    @TempDir Path dir;

    private Path run(String name, String csv) throws IOException {
        Path folder = Files.createDirectories(dir.resolve(name));
        Files.writeString(folder.resolve("history.csv"), csv);
        return folder;
    }

    @Test
    void tablePutsBothRunsSideBySideAndBoldsTheBetterOne() throws IOException {
        Path with = run("bn", "epoch,train_loss,train_acc,valid_loss,valid_acc\n"
                + "1,0.60,0.80,0.18,0.943\n2,0.28,0.90,0.12,0.9583\n");
        Path without = run("none", "epoch,train_loss,train_acc,valid_loss,valid_acc\n"
                + "1,0.63,0.79,0.16,0.9469\n2,0.29,0.90,0.13,0.9500\n");
        BatchNormComparison c = BatchNormComparison.read(with, without);

        assertThat(c.table().lines())
                .contains(
                        "| 1 | 0.9430 | **0.9469** | 0.1800 | **0.1600** | **0.6000** | 0.6300 |",
                        "| 2 | **0.9583** | 0.9500 | **0.1200** | 0.1300 | **0.2800** | 0.2900 |");
        c.writePlot(dir.resolve("plot.png"));
        assertThat(dir.resolve("plot.png")).isNotEmptyFile();
    }

    @Test
    void otherRunsAreNamedByTheirLabels() throws IOException {
        Path sf = run("sf", "epoch,train_loss,valid_loss,valid_acc\n1,0.5,0.1,0.97\n");
        Path oc = run("oc", "epoch,train_loss,valid_loss,valid_acc\n1,0.6,0.2,0.96\n");
        assertThat(BatchNormComparison.read(sf, "schedule-free", oc, "one-cycle").table().lines())
                .startsWith(
                        "| epoch | valid acc, schedule-free | valid acc, one-cycle | valid loss,"
                                + " schedule-free | valid loss, one-cycle | train loss, schedule-free"
                                + " | train loss, one-cycle |")
                .contains("| 1 | **0.9700** | 0.9600 | **0.1000** | 0.2000 | **0.5000** | 0.6000 |");
    }

    @Test
    void tableStopsAtTheShorterRun() throws IOException {
        Path with = run("bn", "epoch,train_loss,valid_loss,valid_acc\n1,0.6,0.2,0.9\n2,0.3,0.1,0.95\n");
        Path without = run("none", "epoch,train_loss,valid_loss,valid_acc\n1,0.6,0.2,0.9\n");
        assertThat(BatchNormComparison.read(with, without).table().lines()).hasSize(3);
    }

    @Test
    void aFileThatIsNoHistoryIsNamedInTheError() throws IOException {
        Path with = run("bn", "loss\n0.5\n");
        Path without = run("none", "epoch,valid_acc\n1,0.9\n");
        assertThatThrownBy(() -> BatchNormComparison.read(with, without))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("history.csv is no training history");
    }

    @Test
    void aMissingHistoryIsNamedInTheError() {
        assertThatThrownBy(() -> BatchNormComparison.read(dir.resolve("a"), dir.resolve("b")))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot read the training history");
    }
}
