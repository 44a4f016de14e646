package io.github.luzj.data;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * MNIST handwritten digits: 60,000 training and 10,000 test images, 1×28×28 in [0, 1], labels
 * 0–9. {@link #load(Split)} finds the files ({@code $LUZJ_DATA/mnist}, then
 * {@code ~/.luzj/datasets/mnist}) or downloads them; {@link #subset(Split)} reads a small copy
 * bundled with luzj that never needs the network.
 *
 * <pre>{@code
 * SampleDataset train = Mnist.load(Split.TRAIN);
 * SampleDataset quick = Mnist.subset(Split.TRAIN); // 6,000 examples, no download
 * }</pre>
 */
public final class Mnist {

    /** MNIST's folder name, mirrors and checksums (those of torchvision's resources). */
    public static final IdxDatasetSpec SPEC = new IdxDatasetSpec(
            "MNIST",
            "mnist",
            List.of(
                    URI.create("https://ossci-datasets.s3.amazonaws.com/mnist/"),
                    URI.create("https://storage.googleapis.com/cvdf-datasets/mnist/")),
            Map.of(
                    "train-images-idx3-ubyte.gz", "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                    "train-labels-idx1-ubyte.gz", "d53e105ee54ea40749a09fcbcd1e9432",
                    "t10k-images-idx3-ubyte.gz", "9fb629c4189551a2d022fa330f9573f3",
                    "t10k-labels-idx1-ubyte.gz", "ec29112dd5afa0611ce80d1b7f02629c"),
            List.of(),
            "",
            28,
            28,
            10);

    /** Number of training examples in {@link #subset(Split)}. */
    public static final int SUBSET_TRAIN = 6000;

    /** Number of test examples in {@link #subset(Split)}. */
    public static final int SUBSET_TEST = 1000;

    private static final String SUBSET_DIR = "mnist-subset/";

    private Mnist() {}

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
     * Reads a split from {@code dir} (or its {@code mnist} subfolder), downloading into it if
     * the files are not there.
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

    /**
     * Reads the bundled subset: the first {@value #SUBSET_TRAIN} training and the first
     * {@value #SUBSET_TEST} test examples of MNIST, in file order (cut by
     * {@code tools/make_mnist_subset.py}).
     *
     * @param split the split
     * @return the examples
     */
    public static ImageDataset subset(Split split) {
        return BundledSubset.read(SPEC, SUBSET_DIR, split);
    }
}
