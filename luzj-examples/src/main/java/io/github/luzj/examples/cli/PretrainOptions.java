package io.github.luzj.examples.cli;

import io.github.luzj.base.Checks;
import io.github.luzj.examples.chapter.PretrainSettings;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code transfer --pretrain fashion-mnist}: make the pretrained weights offline by training
 * ResNet-18 on Fashion-MNIST first, since no ImageNet weights can be downloaded.
 */
final class PretrainOptions {

    @Option(
            names = "--pretrain",
            paramLabel = "DATASET",
            description =
                    "Train ResNet-18 from scratch on DATASET (fashion-mnist) first, save it as"
                            + " .safetensors, transfer it to MNIST, and compare with the same head"
                            + " on a randomly initialized frozen backbone.")
    String dataset;

    @Option(
            names = "--pretrain-epochs",
            paramLabel = "N",
            description = "Pretraining epochs (default: " + PretrainSettings.DEFAULT_EPOCHS + ").")
    Integer epochs;

    @Option(
            names = "--pretrain-limit",
            paramLabel = "N",
            description = "Pretrain on at most N images (default: all 60,000).")
    Integer limit;

    @Option(
            names = "--pretrain-data",
            paramLabel = "DIR",
            description =
                    "Fashion-MNIST folder (IDX files); default: $LUZJ_DATA/fashion-mnist,"
                            + " ~/.luzj/datasets/fashion-mnist, /usr/share/datasets/fashion-mnist,"
                            + " else download; 'bundled' uses the 6,000/1,000-image subset shipped in"
                            + " the jar.")
    Path data;

    private int epochs() {
        return epochs == null ? PretrainSettings.DEFAULT_EPOCHS : epochs;
    }

    /**
     * Checks the options and their combination with {@code --weights} and {@code --resume}.
     *
     * @return the pretraining, null without {@code --pretrain}
     */
    PretrainSettings settings(Path weights, boolean resume) {
        if (dataset == null) {
            String stray = epochs != null ? "--pretrain-epochs"
                    : limit != null ? "--pretrain-limit"
                    : data != null ? "--pretrain-data" : null;
            Checks.check(
                    stray == null, "%s needs --pretrain %s; add it or drop %s", stray,
                    PretrainSettings.FASHION_MNIST, stray);
            return null;
        }
        Checks.check(
                PretrainSettings.FASHION_MNIST.equals(dataset),
                "--pretrain must be %s, got '%s'; it is the dataset luzj can pretrain on offline",
                PretrainSettings.FASHION_MNIST,
                dataset);
        Checks.check(
                weights == null,
                "--pretrain %s makes its own weights, but --weights %s was given too; drop one of them",
                dataset,
                weights);
        Checks.check(
                !resume,
                "--resume cannot continue a --pretrain run (the pretraining is not checkpointed);"
                        + " run it again without --resume");
        Checks.check(epochs() >= 1, "--pretrain-epochs must be >= 1, got %d", epochs());
        Checks.check(limit == null || limit >= 1, "--pretrain-limit must be >= 1, got %s", limit);
        return new PretrainSettings(dataset, epochs(), limit, data);
    }
}
