package io.github.luzj.examples.chapter;

import io.github.luzj.record.HistoryPlot;
import io.github.luzj.record.Records;
import io.github.luzj.record.RecordsCsv;
import java.nio.file.Path;
import java.util.List;

/**
 * What one supervised fit produced, its model closed: the history, the epochs' wall times, and
 * what the summary reports of every run.
 *
 * @param records the metrics of every epoch and the hyperparameters of every step
 * @param epochSeconds the wall time of each epoch timed in this process (a resumed run does not
 *     time the epochs before it)
 * @param trainSamples training images per epoch
 * @param parameters weights and biases, without BatchNorm's running statistics
 * @param interrupted true when Ctrl-C cut the fit short
 * @param stopReason why the fit stopped early, empty when it ran all its epochs
 */
public record TrainingResult(
        Records records,
        List<Double> epochSeconds,
        int trainSamples,
        long parameters,
        boolean interrupted,
        String stopReason) {

    /** The last validation accuracy, NaN when an early interruption never recorded it. */
    public double validAccuracy() {
        return last(Records.VALID, "acc");
    }

    /** The last validation loss, NaN when an early interruption never recorded it. */
    public double validLoss() {
        return last(Records.VALID, "loss");
    }

    /** The timed epochs' wall time, seconds. */
    public double seconds() {
        return epochSeconds.stream().mapToDouble(Double::doubleValue).sum();
    }

    private double last(String set, String metric) {
        return records.has(set, metric) ? records.last(set, metric) : Double.NaN;
    }

    /** Writes {@code history.csv} and {@code history.png} into {@code dir}. */
    void writeHistory(Path dir) {
        RecordsCsv.writeHistory(records, dir.resolve("history.csv"));
        HistoryPlot.defaults().writePng(records, dir.resolve("history.png"));
    }

    /** The fields every run's {@code summary.json} starts with. */
    Summary summary(String command) {
        return new Summary()
                .put("command", command)
                .put("epochs", records.epochs())
                .put("train_samples", trainSamples)
                .put("valid_accuracy", validAccuracy())
                .put("valid_loss", validLoss())
                .put("train_accuracy", last(Records.TRAIN, "acc"))
                .put("train_loss", last(Records.TRAIN, "loss"))
                .put("epoch_seconds", epochSeconds)
                .put("train_samples_per_second", trainSamples * epochSeconds.size() / seconds())
                .put("parameters", parameters)
                .put("interrupted", interrupted)
                .put("stop_reason", stopReason);
    }
}
