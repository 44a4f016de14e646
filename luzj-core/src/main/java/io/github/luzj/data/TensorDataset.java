package io.github.luzj.data;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.util.Arrays;
import java.util.Locale;

/**
 * Examples from Java arrays: one row of features per example and, optionally, one label each
 * (a class index or a regression target). Rows are copied, so the arrays may be reused.
 *
 * <pre>{@code
 * TensorDataset train = TensorDataset.of(features, labels);         // float[][] and int[] or float[]
 * TensorDataset digits = TensorDataset.of(pixels, digit).reshape(1, 8, 8);   // 64 values as 1×8×8
 * TensorDataset toPredict = TensorDataset.of(newFeatures);          // no labels: for predict
 * }</pre>
 */
public final class TensorDataset implements SampleDataset {

    private final float[][] rows;
    private final float[] labels;
    private final long[] sampleShape;

    private TensorDataset(float[][] rows, float[] labels, long[] sampleShape) {
        this.rows = rows;
        this.labels = labels;
        this.sampleShape = sampleShape;
    }

    /**
     * Labeled examples with float labels (regression targets, or class indices as floats).
     *
     * @param features one row per example, all of the same length
     * @param labels one label per row
     * @return the dataset
     */
    public static TensorDataset of(float[][] features, float[] labels) {
        Checks.check(labels != null, "labels are null; pass one per row, or use of(features)");
        float[][] rows = copyRows(features);
        Checks.check(
                labels.length == rows.length,
                "%d feature rows but %d labels; pass one label per row",
                rows.length,
                labels.length);
        for (int i = 0; i < labels.length; i++) {
            if (!Float.isFinite(labels[i])) {
                throw new LuzjException(String.format(Locale.ROOT,
                        "the label of row %d is %s; fill in or drop rows without a label (labels must"
                                + " be finite)", i, labels[i]));
            }
        }
        return new TensorDataset(rows, labels.clone(), new long[] {rows[0].length});
    }

    /**
     * Labeled examples with class indices.
     *
     * @param features one row per example, all of the same length
     * @param classes one class index per row, {@code >= 0}
     * @return the dataset
     */
    public static TensorDataset of(float[][] features, int[] classes) {
        Checks.check(classes != null, "labels are null; pass one per row, or use of(features)");
        float[] labels = new float[classes.length];
        for (int i = 0; i < classes.length; i++) {
            Checks.check(
                    classes[i] >= 0,
                    "class index %d of row %d is negative; classes are 0, 1, 2, ...",
                    classes[i],
                    i);
            labels[i] = classes[i];
        }
        return of(features, labels);
    }

    /**
     * Examples without labels, to predict on.
     *
     * @param features one row per example, all of the same length
     * @return the dataset
     */
    public static TensorDataset of(float[][] features) {
        float[][] rows = copyRows(features);
        return new TensorDataset(rows, null, new long[] {rows[0].length});
    }

    /**
     * Returns the same examples with each row seen as a tensor of {@code shape}, such as
     * {@code reshape(1, 8, 8)} for 64 pixels as a one-channel 8×8 image.
     *
     * @param shape the per-example shape; its product is the row length
     * @return a dataset sharing the rows
     */
    public TensorDataset reshape(long... shape) {
        Checks.notNull("shape", shape, "pass each example's sizes, such as reshape(1, 28, 28)");
        long n = 1;
        boolean overflows = false;
        for (long d : shape) {
            Checks.check(d >= 1, "reshape sizes must be >= 1, got %s", Arrays.toString(shape));
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                overflows = true;
            }
        }
        Checks.check(
                !overflows && n == rows[0].length,
                "cannot reshape rows of %d values to %s (%s values); the sizes must multiply to %d",
                rows[0].length,
                Arrays.toString(shape),
                overflows ? "more" : Long.toString(n),
                rows[0].length);
        return new TensorDataset(rows, labels, shape.clone());
    }

    /**
     * Tells whether the examples have labels.
     *
     * @return false for {@link #of(float[][])}
     */
    public boolean labeled() {
        return labels != null;
    }

    /**
     * Returns the shape of one example's features.
     *
     * @return the shape, {@code [row length]} unless reshaped
     */
    public long[] sampleShape() {
        return sampleShape.clone();
    }

    @Override
    public int size() {
        return rows.length;
    }

    @Override
    public Sample get(int index) {
        FloatTensor x = new FloatTensor(rows[Checks.index(index, rows.length)], sampleShape);
        return labels == null ? Sample.unlabeled(x) : new Sample(x, FloatTensor.scalar(labels[index]));
    }

    private static float[][] copyRows(float[][] features) {
        Checks.check(
                features != null && features.length > 0,
                "no feature rows; pass at least one row of features");
        int width = features[0] == null ? 0 : features[0].length;
        Checks.check(width > 0, "feature row 0 is empty; every row needs at least one value");
        float[][] rows = new float[features.length][];
        for (int i = 0; i < features.length; i++) {
            Checks.check(
                    features[i] != null && features[i].length == width,
                    "feature row %d has %d values but row 0 has %d; every row needs the same length",
                    i,
                    features[i] == null ? 0 : features[i].length,
                    width);
            rows[i] = features[i].clone();
            for (int j = 0; j < width; j++) {
                if (!Float.isFinite(rows[i][j])) {
                    // one NaN feature turns every loss and every weight into NaN, silently
                    throw new LuzjException(String.format(Locale.ROOT,
                            "feature row %d, column %d is %s; fill in or drop missing values (numbers"
                                    + " must be finite)", i, j, rows[i][j]));
                }
            }
        }
        return rows;
    }
}
