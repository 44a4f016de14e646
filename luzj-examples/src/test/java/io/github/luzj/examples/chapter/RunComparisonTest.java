package io.github.luzj.examples.chapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.luzj.record.Records;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {

    @TempDir Path dir;

    /** A history: {@code columns} such as {@code train_loss,valid_acc}, then a row an epoch. */
    private static Records history(String columns, double[]... rows) {
        String[] names = columns.split(",");
        Records r = new Records();
        for (int e = 0; e < rows.length; e++) {
            for (int c = 0; c < names.length; c++) {
                String[] setMetric = names[c].split("_", 2);
                r.add(setMetric[0], setMetric[1], e + 1, rows[e][c]);
            }
        }
        return r;
    }

    @Test
    void tablePutsBothRunsSideBySideAndBoldsTheBetterOne() {
        String columns = "train_loss,train_acc,valid_loss,valid_acc";
        Records with = history(columns, new double[] {0.60, 0.80, 0.18, 0.943}, new double[] {0.28, 0.90, 0.12, 0.9583});
        Records without = history(columns, new double[] {0.63, 0.79, 0.16, 0.9469}, new double[] {0.29, 0.90, 0.13, 0.9500});
        RunComparison c = RunComparison.batchNorm(with, without);

        assertThat(c.table().lines())
                .contains(
                        "| 1 | 0.9430 | **0.9469** | 0.1800 | **0.1600** | **0.6000** | 0.6300 |",
                        "| 2 | **0.9583** | 0.9500 | **0.1200** | 0.1300 | **0.2800** | 0.2900 |");
        c.writePlot(dir.resolve("plot.png"));
        assertThat(dir.resolve("plot.png")).isNotEmptyFile();
    }

    @Test
    void otherRunsAreNamedByTheirLabels() {
        String columns = "train_loss,valid_loss,valid_acc";
        Records sf = history(columns, new double[] {0.5, 0.1, 0.97});
        Records oc = history(columns, new double[] {0.6, 0.2, 0.96});
        assertThat(RunComparison.of(sf, "schedule-free", oc, "one-cycle").table().lines())
                .startsWith(
                        "| epoch | valid acc, schedule-free | valid acc, one-cycle | valid loss,"
                                + " schedule-free | valid loss, one-cycle | train loss, schedule-free"
                                + " | train loss, one-cycle |")
                .contains("| 1 | **0.9700** | 0.9600 | **0.1000** | 0.2000 | **0.5000** | 0.6000 |");
    }

    @Test
    void tableStopsAtTheShorterRun() {
        String columns = "train_loss,valid_loss,valid_acc";
        Records with = history(columns, new double[] {0.6, 0.2, 0.9}, new double[] {0.3, 0.1, 0.95});
        Records without = history(columns, new double[] {0.6, 0.2, 0.9});
        assertThat(RunComparison.batchNorm(with, without).table().lines()).hasSize(3);
    }
}
