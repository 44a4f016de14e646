package io.github.luzj.examples.chapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.luzj.record.Records;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChapterReportTest {

    private static TrainingResult fit(double validAccuracy) {
        Records r = new Records();
        r.add(Records.VALID, "acc", 1, validAccuracy);
        return new TrainingResult(r, List.of(1.0), 100, 5130, false, "");
    }

    private static TransferResult transfer(double accuracy, PretrainResult pretrain, BaselineResult baseline) {
        TransferSettings settings = new TransferSettings(null, 1, 1e-3, 0, 0.1, false, null);
        return new TransferResult(fit(accuracy), 0, 11_000_000, 5130, "w", settings, 128, 1, pretrain, baseline);
    }

    private static PretrainResult pretrain(int epochs, int samples, double accuracy) {
        return new PretrainResult("fashion-mnist", epochs, samples, 1, accuracy, 0.3, 1, Path.of("w"), false);
    }

    @Test
    void aBackbonePretrainedHereIsSaidSoWithItsGain() {
        BaselineResult baseline = new BaselineResult(fit(0.823), 5130, 0, 1);
        String note = ChapterReport.pretrainingNote(transfer(0.8411, pretrain(2, 60000, 0.8872), baseline));
        assertThat(note)
                .contains("DJL's model zoo is out of reach offline")
                .contains("pretrained here on fashion-mnist (2 epochs, 60000 images, test accuracy 0.8872)")
                .contains("random")
                .contains("reached 0.8230: a transfer gain of +0.0181.")
                .endsWith("\n\n");
    }

    @Test
    void oneEpochIsSingular() {
        assertThat(ChapterReport.pretrainingNote(transfer(0.8, pretrain(1, 10000, 0.8305), null)))
                .contains("(1 epoch, 10000 images, test accuracy 0.8305)")
                .doesNotContain("gain");
    }

    private static BatchNormResult batchNorm(boolean batchNorm, double... validAccuracy) {
        Records r = new Records();
        for (int e = 0; e < validAccuracy.length; e++) {
            r.add(Records.TRAIN, "loss", e + 1, 0.5);
            r.add(Records.VALID, "loss", e + 1, 0.25);
            r.add(Records.VALID, "acc", e + 1, validAccuracy[e]);
        }
        TrainingResult fit = new TrainingResult(r, List.of(1.5, 2.0), 10000, 5130, false, "");
        return new BatchNormResult(fit, batchNorm, 1e-3, 128, 1);
    }

    @Test
    void theReportTabulatesTheResultsAndComparesTheBatchNormRuns(@TempDir Path out) throws Exception {
        Chapter.Settings settings = new Chapter.Settings("bundled", out, true, null, 1, false);
        List<ChapterReport.Section> sections = List.of(
                new ChapterReport.Section("Batch normalization", "batchnorm", List.of("batchnorm"), batchNorm(true, 0.9, 0.95)),
                new ChapterReport.Section("Without batch normalization", "no-batchnorm", List.of("batchnorm", "--no-batchnorm"), batchNorm(false, 0.8, 0.85)),
                new ChapterReport.Section("Transfer learning", "transfer", List.of("transfer"), null));
        String md = new ChapterReport(settings, "bundled", sections)
                .markdown(out, "", 1.5, List.of("Transfer learning (exit code 2)"));
        assertThat(md.lines())
                .contains("| Batch normalization | 2 | 10000 | 0.9500 | 0.2500 | 3.5 |")
                .contains("| Without batch normalization | 2 | 10000 | 0.8500 | 0.2500 | 3.5 |")
                .contains("| Transfer learning | failed | | | | |")
                .contains("Failed: Transfer learning (exit code 2)")
                .contains("| 2 | **0.9500** | 0.8500 | 0.2500 | 0.2500 | 0.5000 | 0.5000 |")
                .contains("`java -jar luzj-examples.jar batchnorm --no-batchnorm`");
        assertThat(md).contains("Total time: 1.5 minutes").doesNotContain("Schedule-free AdamW against");
        assertThat(out.resolve(ChapterReport.BATCH_NORM_PLOT)).isNotEmptyFile();
    }

    @Test
    void aReportKeptBesideTheOutputFolderLinksBackIntoIt(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("results");
        Files.createDirectories(out.resolve("batchnorm"));
        Files.writeString(out.resolve("batchnorm/history.png"), "png");
        Chapter.Settings settings = new Chapter.Settings("bundled", out, true, null, 1, false);
        List<ChapterReport.Section> sections = List.of(new ChapterReport.Section(
                "Batch normalization", "batchnorm", List.of("batchnorm"), batchNorm(true, 0.9)));
        ChapterReport report = new ChapterReport(settings, "bundled", sections);
        assertThat(report.markdown(out, "", 1, List.of()))
                .contains("](batchnorm/history.png)");
        Path kept = Files.createDirectories(tmp.resolve("results-new"));
        assertThat(report.markdown(kept, "../results/", 1, List.of()))
                .contains("](../results/batchnorm/history.png)");
        assertThat(kept.resolve("../results/batchnorm/history.png")).exists();
    }

    @Test
    void loadedWeightsGetNoNote() {
        assertThat(ChapterReport.pretrainingNote(transfer(0.8, null, null))).isEmpty();
    }
}
