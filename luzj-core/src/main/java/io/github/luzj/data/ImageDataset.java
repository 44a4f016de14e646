package io.github.luzj.data;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.util.Locale;

/**
 * Grayscale images with class labels held as bytes in memory, handed out as torchvision's
 * {@code ToTensor} would: features {@code 1×H×W} floats {@code pixel / 255} in [0, 1], label the
 * class index as a float scalar. Bytes take a quarter of the memory of floats, and converting
 * one image per {@link #get} is cheap next to training on it. Immutable, so safe for the loader's
 * worker threads.
 */
public final class ImageDataset implements SampleDataset {

    private final byte[] pixels;
    private final byte[] labels;
    private final int rows;
    private final int cols;
    private final int classes;

    private ImageDataset(byte[] pixels, byte[] labels, int rows, int cols, int classes) {
        this.pixels = pixels;
        this.labels = labels;
        this.rows = rows;
        this.cols = cols;
        this.classes = classes;
    }

    /**
     * Pairs an image file's content with a label file's, checking that they agree.
     *
     * @param images an image file ({@code count × rows × cols})
     * @param imagesName the image file's name, for error messages
     * @param labels a label file ({@code count})
     * @param labelsName the label file's name, for error messages
     * @param classes the number of classes; every label must be in {@code [0, classes)}
     * @return the dataset
     */
    public static ImageDataset of(
            IdxData images, String imagesName, IdxData labels, String labelsName, int classes) {
        Checks.check(classes >= 1, "classes must be >= 1, got %d", classes);
        Checks.check(
                images.dims().length == 3,
                "%s has %d dimensions but images need 3 (count, rows, columns); delete it so luzj"
                        + " downloads it again",
                imagesName,
                images.dims().length);
        Checks.check(
                labels.dims().length == 1,
                "%s has %d dimensions but labels need 1; delete it so luzj downloads it again",
                labelsName,
                labels.dims().length);
        Checks.check(
                images.count() == labels.count(),
                "%s holds %d images but %s holds %d labels; the two files come from different"
                        + " downloads or one is damaged: delete both so luzj downloads them again",
                imagesName,
                images.count(),
                labelsName,
                labels.count());
        byte[] y = labels.data();
        for (int i = 0; i < y.length; i++) {
            int label = y[i] & 0xFF;
            if (label >= classes) {
                throw new LuzjException(String.format(Locale.ROOT,
                        "%s: label %d of example %d is outside 0..%d; the file is damaged: delete"
                                + " it so luzj downloads it again",
                        labelsName, label, i, classes - 1));
            }
        }
        return new ImageDataset(images.data(), y, images.dims()[1], images.dims()[2], classes);
    }

    @Override
    public int size() {
        return labels.length;
    }

    @Override
    public Sample get(int index) {
        Checks.index(index, labels.length);
        int n = rows * cols;
        float[] x = new float[n];
        int offset = index * n;
        for (int i = 0; i < n; i++) {
            x[i] = (pixels[offset + i] & 0xFF) / 255f;
        }
        return new Sample(
                new FloatTensor(x, new long[] {1, rows, cols}), FloatTensor.scalar(label(index)));
    }

    /**
     * Returns the class index of example {@code index}.
     *
     * @param index in {@code [0, size())}
     * @return the label, in {@code [0, classes())}
     */
    public int label(int index) {
        Checks.index(index, labels.length);
        return labels[index] & 0xFF;
    }

    /**
     * Returns the number of classes.
     *
     * @return e.g. 10
     */
    public int classes() {
        return classes;
    }

    /**
     * Returns the shape of one image's features.
     *
     * @return {@code [1, rows, cols]}
     */
    public long[] imageShape() {
        return new long[] {1, rows, cols};
    }
}
