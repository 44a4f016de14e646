package io.github.luzj.examples.chapter;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * The transfer comparison's other arm: the same head, seed, epochs and data on a randomly
 * initialized frozen ResNet-18.
 *
 * @param training the fit
 * @param trainableParameters the head's parameters
 * @param fineTuneEpochs the fine-tuning epochs, as the transfer's
 * @param seed the seed, which drew the random backbone
 */
public record BaselineResult(
        TrainingResult training, long trainableParameters, int fineTuneEpochs, long seed) {

    /** The folder of the baseline's history and summary, inside the transfer's. */
    public static final String DIR = "baseline-random-backbone";

    /** The last validation accuracy. */
    public double validAccuracy() {
        return training.validAccuracy();
    }

    /** Writes the history and {@code summary.json} into {@code dir}. */
    void write(Path dir) {
        training.writeHistory(dir);
        training.summary("transfer baseline")
                .put("trainable_parameters", trainableParameters)
                .put("weights", "random (seed " + seed + ")")
                .put("fine_tune_epochs", fineTuneEpochs)
                .put("seed", seed)
                .write(dir.resolve("summary.json"));
    }

    /** The {@code baseline_random_backbone} object of the transfer's {@code summary.json}. */
    JsonObject json() {
        return new Summary()
                .put("valid_accuracy", training.validAccuracy())
                .put("valid_loss", training.validLoss())
                .json();
    }
}
