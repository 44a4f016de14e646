package io.github.luzj.examples.chapter;

import com.google.gson.JsonObject;
import java.nio.file.Path;

/**
 * What pretraining produced: where the weights are and how well they classify the pretraining
 * dataset's test images.
 *
 * @param dataset the dataset's name, e.g. {@code fashion-mnist}
 * @param epochs epochs trained
 * @param samples training images per epoch
 * @param batches training batches seen, stored as the weights' {@code num_batches_tracked}
 * @param validAccuracy accuracy on the dataset's test images after the last epoch
 * @param validLoss cross-entropy on them
 * @param seconds wall time of the fit
 * @param weightsFile the {@code .safetensors} file, torchvision's names
 * @param interrupted true when Ctrl-C cut the pretraining short (then no weights are written)
 */
public record PretrainResult(
        String dataset,
        int epochs,
        int samples,
        long batches,
        double validAccuracy,
        double validLoss,
        double seconds,
        Path weightsFile,
        boolean interrupted) {

    /** The {@code pretrain} object of {@code summary.json}. */
    JsonObject json() {
        return new Summary()
                .put("dataset", dataset)
                .put("epochs", epochs)
                .put("samples", samples)
                .put("batches", batches)
                .put("valid_accuracy", validAccuracy)
                .put("valid_loss", validLoss)
                .put("seconds", seconds)
                .put("weights_file", weightsFile == null ? null : weightsFile.toString())
                .json();
    }
}
