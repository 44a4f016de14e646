package io.github.luzj.examples.chapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

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

    @Test
    void loadedWeightsGetNoNote() {
        assertThat(ChapterReport.pretrainingNote(transfer(0.8, null, null))).isEmpty();
    }
}
