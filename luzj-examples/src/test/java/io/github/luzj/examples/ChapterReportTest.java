package io.github.luzj.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.junit.jupiter.api.Test;

class ChapterReportTest {

    @Test
    void aBackbonePretrainedHereIsSaidSoWithItsGain() {
        JsonObject summary =
                JsonParser.parseString(
                                "{\"command\":\"transfer\",\"valid_accuracy\":0.8411,"
                                        + "\"pretrain\":{\"dataset\":\"fashion-mnist\",\"epochs\":2,"
                                        + "\"samples\":60000,\"valid_accuracy\":0.8872},"
                                        + "\"baseline_random_backbone\":{\"valid_accuracy\":0.823},"
                                        + "\"transfer_gain\":0.018100000000000005}")
                        .getAsJsonObject();
        String note = ChapterCommand.pretrainingNote(summary);
        assertThat(note)
                .contains("DJL's model zoo is out of reach offline")
                .contains("pretrained here on fashion-mnist (2 epochs, 60000 images, test accuracy 0.8872)")
                .contains("random")
                .contains("reached 0.8230: a transfer gain of +0.0181.")
                .endsWith("\n\n");
    }

    @Test
    void oneEpochIsSingular() {
        JsonObject summary =
                JsonParser.parseString(
                                "{\"pretrain\":{\"dataset\":\"fashion-mnist\",\"epochs\":1,"
                                        + "\"samples\":10000,\"valid_accuracy\":0.8305}}")
                        .getAsJsonObject();
        assertThat(ChapterCommand.pretrainingNote(summary))
                .contains("(1 epoch, 10000 images, test accuracy 0.8305)")
                .doesNotContain("gain");
    }

    @Test
    void otherRunsGetNoNote() {
        assertThat(ChapterCommand.pretrainingNote(null)).isEmpty();
        assertThat(ChapterCommand.pretrainingNote(
                        JsonParser.parseString("{\"command\":\"transfer\",\"weights\":\"w.safetensors\"}")
                                .getAsJsonObject()))
                .isEmpty();
    }
}
