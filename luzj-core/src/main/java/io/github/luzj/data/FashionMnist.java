package io.github.luzj.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Zalando's Fashion-MNIST: 60,000 training and 10,000 test images of clothes, 1×28×28 in
 * [0, 1], labels 0–9 ({@link #CLASSES}). Found in {@code $LUZJ_DATA/fashion-mnist},
 * {@code ~/.luzj/datasets/fashion-mnist}, or {@code /usr/share/datasets/fashion-mnist} where
 * Debian's {@code dataset-fashion-mnist} package puts it; downloaded otherwise.
 * {@link #subset(Split)} reads a small copy bundled with luzj that never needs the network.
 *
 * <p>Fashion-MNIST is Copyright 2017 Zalando SE, under the MIT license
 * (https://github.com/zalandoresearch/fashion-mnist); the bundled subset keeps that license.
 */
public final class FashionMnist {

    /** Fashion-MNIST's folder name, mirror, checksums and Debian package folder. */
    public static final IdxDatasetSpec SPEC = new IdxDatasetSpec(
            "Fashion-MNIST",
            "fashion-mnist",
            List.of(URI.create("http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/")),
            Map.of(
                    "train-images-idx3-ubyte.gz", "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                    "train-labels-idx1-ubyte.gz", "25c81989df183df01b3e8a0aad5dffbe",
                    "t10k-images-idx3-ubyte.gz", "bef4ecab320f06d8554ea6380940ec79",
                    "t10k-labels-idx1-ubyte.gz", "bb300cfdad3c16e7a12a480ee83cd310"),
            List.of(Path.of("/usr/share/datasets/fashion-mnist")),
            "install Debian's package: apt-get install dataset-fashion-mnist",
            28,
            28,
            10);

    /** The class names, by label. */
    public static final List<String> CLASSES = List.of(
            "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    /** Number of training examples in {@link #subset(Split)}. */
    public static final int SUBSET_TRAIN = 6000;

    /** Number of test examples in {@link #subset(Split)}. */
    public static final int SUBSET_TEST = 1000;

    private static final String SUBSET_DIR = "fashion-mnist-subset/";

    private FashionMnist() {}

    /**
     * Reads the bundled subset: the first {@value #SUBSET_TRAIN} training and the first
     * {@value #SUBSET_TEST} test examples of Fashion-MNIST, in file order (cut by
     * {@code tools/make_mnist_subset.py} from Debian's {@code dataset-fashion-mnist}).
     *
     * @param split the split
     * @return the examples
     */
    public static ImageDataset subset(Split split) {
        return BundledSubset.read(SPEC, SUBSET_DIR, split);
    }

    /**
     * Reads a split from the usual folders, downloading it if it is not there.
     *
     * @param split the split
     * @return the examples
     */
    public static ImageDataset load(Split split) {
        return source().build().load(split);
    }

    /**
     * Reads a split from {@code dir} (or its {@code fashion-mnist} subfolder), downloading into
     * it if the files are not there.
     *
     * @param split the split
     * @param dir the folder, or null for the usual lookup
     * @return the examples
     */
    public static ImageDataset load(Split split, Path dir) {
        return source().dir(dir).build().load(split);
    }

    /**
     * Starts a configurable source: folder, mirrors, download on or off, progress bar.
     *
     * @return a builder
     */
    public static IdxDatasetSource.Builder source() {
        return IdxDatasetSource.builder(SPEC);
    }
}
