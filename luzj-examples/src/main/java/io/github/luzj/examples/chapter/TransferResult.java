package io.github.luzj.examples.chapter;

import java.nio.file.Path;

/**
 * A {@code transfer} run: the head trained on the frozen backbone, and with pretraining, the
 * pretraining and the random-backbone baseline beside it.
 *
 * @param training the fit, fine-tuning included
 * @param fineTuneSeconds the fine-tuning's wall time, 0 without
 * @param parameters every parameter of the network
 * @param trainableParameters those trained with the backbone frozen
 * @param weights where the backbone's weights came from
 * @param settings the experiment's settings
 * @param batchSize the batch size
 * @param seed the seed
 * @param pretrain the pretraining that made the weights, null when they were loaded
 * @param baseline the random-backbone baseline, null without pretraining or when interrupted
 */
public record TransferResult(
        TrainingResult training,
        double fineTuneSeconds,
        long parameters,
        long trainableParameters,
        String weights,
        TransferSettings settings,
        int batchSize,
        long seed,
        PretrainResult pretrain,
        BaselineResult baseline)
        implements TrainedResult {

    /** What pretraining bought: the accuracy above the baseline's, NaN without a baseline. */
    public double transferGain() {
        return baseline == null ? Double.NaN : training.validAccuracy() - baseline.validAccuracy();
    }

    @Override
    public boolean interrupted() {
        return training.interrupted() || (baseline != null && baseline.training().interrupted());
    }

    @Override
    public void write(Path dir) {
        training.writeHistory(dir);
        Summary s = training.summary("transfer")
                .put("parameters", parameters)
                .put("trainable_parameters", trainableParameters)
                .put("weights", weights)
                .put("fine_tune_epochs", settings.fineTuneEpochs())
                .put("fine_tune_seconds", fineTuneSeconds)
                .put("lr", settings.lr())
                .put("batch_size", batchSize)
                .put("seed", seed);
        if (pretrain != null) {
            s.put("pretrain", pretrain.json());
        }
        if (baseline != null) {
            baseline.write(dir.resolve(BaselineResult.DIR));
            s.put("baseline_random_backbone", baseline.json()).put("transfer_gain", transferGain());
        }
        s.write(dir.resolve("summary.json"));
    }
}
