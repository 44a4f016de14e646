package io.github.luzj.examples.chapter;

import ai.djl.Device;
import io.github.luzj.Luz;
import java.nio.file.Path;

/**
 * How an experiment's runs are set up: the data, its batches, the seed, the device, and what a
 * fit writes beside its results (checkpoints, TensorBoard logs). The CLI builds it from its
 * options; {@code chapter} builds one for every experiment.
 *
 * @param data the MNIST folder, {@code bundled}, {@code djl}, or null for the default lookup
 * @param limit the most training images, null for all
 * @param validLimit the most validation images, null for all
 * @param batchSize the training batch size
 * @param seed seeds weights, shuffling and augmentation
 * @param workers data-loading threads, null for the loader's default
 * @param device where to train; null for the GPU when DJL sees one, else the CPU, decided when
 *     first asked (which loads the engine)
 * @param quiet no progress bar or epoch lines
 * @param checkpoints where and how checkpoints are written, {@link Checkpointing#NONE} for none
 * @param tensorboard the TensorBoard log folder, null for none
 */
public record RunSettings(
        String data,
        Integer limit,
        Integer validLimit,
        int batchSize,
        long seed,
        Integer workers,
        Device device,
        boolean quiet,
        Checkpointing checkpoints,
        Path tensorboard) {

    /** The batch size when not told, as the CLI's option default. */
    public static final String DEFAULT_BATCH_SIZE = "128";

    /**
     * Where to train.
     *
     * @return the device given, else the GPU when DJL sees one, else the CPU
     */
    @Override
    public Device device() {
        return device != null ? device : Luz.defaultDevice();
    }

    /** The same runs without checkpoints: the transfer baseline's, the chapter's. */
    public RunSettings withoutCheckpoints() {
        return new RunSettings(
                data, limit, validLimit, batchSize, seed, workers, device, quiet, Checkpointing.NONE, tensorboard);
    }

    /** The same runs with neither checkpoints nor TensorBoard logs: the pretraining's. */
    RunSettings withoutSideOutputs() {
        return new RunSettings(
                data, limit, validLimit, batchSize, seed, workers, device, quiet, Checkpointing.NONE, null);
    }
}
