package io.github.luzj.examples.chapter;

import java.nio.file.Path;

/**
 * {@code transfer --pretrain fashion-mnist}: make the pretrained weights offline by training
 * ResNet-18 on Fashion-MNIST first.
 *
 * @param dataset the dataset's name, {@value #FASHION_MNIST}
 * @param epochs pretraining epochs
 * @param limit the most pretraining images, null for all
 * @param data the Fashion-MNIST folder, {@code bundled} for the subset in the jar, null for the
 *     default lookup
 */
public record PretrainSettings(String dataset, int epochs, Integer limit, Path data) {

    /** The only dataset luzj pretrains on. */
    public static final String FASHION_MNIST = "fashion-mnist";

    /** Pretraining epochs when not told. */
    public static final int DEFAULT_EPOCHS = 2;

    /** True for {@code --pretrain-data bundled}: the Fashion-MNIST subset in the jar. */
    boolean bundled() {
        return data != null && data.toString().equals("bundled");
    }
}
