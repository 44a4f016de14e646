package io.github.luzj.record;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordsCsvTest {

    /** Two epochs of a fit as the loop records them: train's values, then valid's. */
    static Records twoEpochs() {
        Records r = new Records();
        r.add("train", "loss", 1, 0.5);
        r.add("train", "acc", 1, 0.75);
        r.add("valid", "loss", 1, 0.625);
        r.add("valid", "acc", 1, 0.7);
        r.add("train", "loss", 2, 0.25);
        r.add("train", "acc", 2, 0.875);
        r.add("valid", "loss", 2, Double.NaN);
        r.add("valid", "acc", 2, 0.002);
        return r;
    }

    @Test
    void metricsIsLuzsLongTable() {
        assertThat(RecordsCsv.metrics(twoEpochs()))
                .isEqualTo(
                        """
                        set,metric,epoch,value
                        train,loss,1,0.5
                        train,acc,1,0.75
                        valid,loss,1,0.625
                        valid,acc,1,0.7
                        train,loss,2,0.25
                        train,acc,2,0.875
                        valid,loss,2,NaN
                        valid,acc,2,0.002
                        """);
    }

    @Test
    void historyHasOneRowPerEpochAndEmptyCellsForMissingValues() {
        Records r = twoEpochs();
        r.add("train", "loss", 3, 0.125); // a stopped run: no valid and no acc at epoch 3
        assertThat(RecordsCsv.history(r))
                .isEqualTo(
                        """
                        epoch,train_loss,train_acc,valid_loss,valid_acc
                        1,0.5,0.75,0.625,0.7
                        2,0.25,0.875,NaN,0.002
                        3,0.125,,,
                        """);
    }

    @Test
    void historyPutsTrainBeforeValidWhateverTheRecordingOrder() {
        Records r = new Records();
        r.add("valid", "loss", 1, 2);
        r.add("train", "loss", 1, 1);
        assertThat(RecordsCsv.history(r)).isEqualTo("epoch,train_loss,valid_loss\n1,1,2\n");
    }

    @Test
    void stepsListEveryGroupAtEveryStep() {
        Records r = new Records();
        r.addStep(new Records.StepEntry(1, 1, "default", 4.0e-4, 0.95));
        r.addStep(new Records.StepEntry(1, 1, "head, fc", 0.004, 0.95));
        r.addStep(new Records.StepEntry(2, 1, "default", 0.01, Double.NaN));
        assertThat(RecordsCsv.steps(r))
                .isEqualTo(
                        """
                        step,epoch,group,lr,momentum
                        1,1,default,0.0004,0.95
                        1,1,"head, fc",0.004,0.95
                        2,1,default,0.01,NaN
                        """);
    }

    @Test
    void emptyRecordsGiveHeadersOnly() {
        Records r = new Records();
        assertThat(RecordsCsv.metrics(r)).isEqualTo("set,metric,epoch,value\n");
        assertThat(RecordsCsv.history(r)).isEqualTo("epoch\n");
        assertThat(RecordsCsv.steps(r)).isEqualTo("step,epoch,group,lr,momentum\n");
    }

    @Test
    void writesFilesWholeAndLeavesNoTemporaries(@TempDir Path dir) throws IOException {
        Records r = twoEpochs();
        Path out = dir.resolve("run");
        RecordsCsv.writeMetrics(r, out.resolve("metrics.csv"));
        RecordsCsv.writeHistory(r, out.resolve("history.csv"));
        RecordsCsv.writeSteps(r, out.resolve("steps.csv"));
        // written again over the old files, as a resumed fit does
        RecordsCsv.writeHistory(r, out.resolve("history.csv"));
        assertThat(Files.readString(out.resolve("metrics.csv"))).isEqualTo(RecordsCsv.metrics(r));
        assertThat(Files.readString(out.resolve("history.csv"))).isEqualTo(RecordsCsv.history(r));
        try (Stream<Path> files = Files.list(out)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder("metrics.csv", "history.csv", "steps.csv");
        }
    }
}
