package io.github.luzj.data;

/** The two halves of MNIST-style datasets, named by their IDX file prefix. */
public enum Split {
    /** The training examples ({@code train-*} files). */
    TRAIN("train"),
    /** The test examples ({@code t10k-*} files). */
    TEST("t10k");

    private final String prefix;

    Split(String prefix) {
        this.prefix = prefix;
    }

    /**
     * Returns the base name of the image file, without {@code .gz}.
     *
     * @return e.g. {@code train-images-idx3-ubyte}
     */
    public String imagesFile() {
        return prefix + "-images-idx3-ubyte";
    }

    /**
     * Returns the base name of the label file, without {@code .gz}.
     *
     * @return e.g. {@code train-labels-idx1-ubyte}
     */
    public String labelsFile() {
        return prefix + "-labels-idx1-ubyte";
    }
}
