package io.github.luzj.examples.cli;

import ai.djl.Device;
import ai.djl.engine.Engine;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.base.OutputSet;
import io.github.luzj.examples.chapter.Checkpointing;
import io.github.luzj.examples.chapter.RunSettings;
import java.nio.file.Path;
import java.util.Locale;
import picocli.CommandLine.Option;

/** Options every experiment takes. */
final class CommonOptions {

    @Option(
            names = "--data",
            paramLabel = "DIR",
            description =
                    "MNIST folder (IDX files, .gz or not) or a folder holding mnist/; 'bundled' uses"
                            + " the 6,000/1,000-image subset shipped in the jar; 'djl' uses DJL's own"
                            + " MNIST (basicdataset, downloaded). Default: $LUZJ_DATA, then"
                            + " ~/.luzj/datasets, else download.")
    String data;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: results/<command>).")
    Path out;

    @Option(names = "--limit", paramLabel = "N", description = "Use at most N training images (default: all).")
    Integer limit;

    @Option(names = "--valid-limit", paramLabel = "N", description = "Use at most N validation images (default: all 10,000).")
    Integer validLimit;

    @Option(names = "--batch-size", paramLabel = "N", defaultValue = RunSettings.DEFAULT_BATCH_SIZE, description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--seed", paramLabel = "S", defaultValue = "1", description = "Seed for weights, shuffling and augmentation (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workers", paramLabel = "N", description = "Data-loading threads (default: min(cores, 4)).")
    Integer workers;

    @Option(
            names = "--device",
            paramLabel = "auto|cpu|gpu",
            defaultValue = "auto",
            description = "Where to train: the GPU when DJL sees one (auto), or forced (default: ${DEFAULT-VALUE}).")
    String device;

    @Option(names = "--quiet", description = "No progress bar or epoch lines.")
    boolean quiet;

    @Option(names = "--debug", description = "Show stack traces on errors.")
    boolean debug;

    /** The output folder, checked writable now so that a bad --out fails before training. */
    Path outOr(String fallback) {
        Path dir = out != null ? out : Path.of("results", fallback);
        OutputSet.checkWritable(dir, "--out");
        return dir;
    }

    /** The device asked for, null for auto: decided when training starts, as the engine loads. */
    private Device device() {
        return switch (device.toLowerCase(Locale.ROOT)) {
            case "auto" -> null;
            case "cpu" -> Device.cpu();
            case "gpu" -> {
                if (Engine.getInstance().getGpuCount() == 0) {
                    throw new LuzjException(
                            "--device gpu, but DJL sees no GPU; use --device cpu or auto, or install"
                                    + " a CUDA build of PyTorch (see docs/index.md, \"GPUs and"
                                    + " other platforms\")");
                }
                yield Device.gpu();
            }
            default -> throw new LuzjException(
                    "--device must be auto, cpu or gpu, got '" + device + "'");
        };
    }

    void validate() {
        Checks.check(batchSize >= 1, "--batch-size must be >= 1, got %d", batchSize);
        Checks.check(limit == null || limit >= 1, "--limit must be >= 1, got %s", limit);
        Checks.check(
                validLimit == null || validLimit >= 1, "--valid-limit must be >= 1, got %s", validLimit);
        Checks.check(
                workers == null || workers >= 0, "--workers must be >= 0, got %s", workers);
    }

    /** The runs these options describe, with the given checkpoints and TensorBoard folder. */
    RunSettings settings(Checkpointing checkpoints, Path tensorboard) {
        return new RunSettings(
                data, limit, validLimit, batchSize, seed, workers, device(), quiet, checkpoints, tensorboard);
    }

    /** The runs these options describe, with neither checkpoints nor TensorBoard logs. */
    RunSettings settings() {
        return settings(Checkpointing.NONE, null);
    }
}
