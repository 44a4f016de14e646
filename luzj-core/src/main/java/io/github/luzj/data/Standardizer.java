package io.github.luzj.data;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Centers every feature column and scales it to unit variance with statistics fitted on the
 * training rows only (scikit-learn's {@code StandardScaler}: the population standard deviation;
 * a constant column is only centered), then applies the same statistics to any other rows, so
 * that held-out and new data are scaled as the model was trained.
 *
 * <pre>{@code
 * Standardizer scale = Standardizer.fit(parts.train());
 * CsvDataset train = scale.apply(parts.train());
 * CsvDataset test = scale.apply(parts.test());
 * }</pre>
 */
public final class Standardizer {

    private final double[] means;
    private final double[] stds;
    /** The columns fitted, when fitted on a table: another table must have them in this order. */
    private final List<String> columns;

    private Standardizer(double[] means, double[] stds, List<String> columns) {
        this.means = means;
        this.stds = stds;
        this.columns = columns;
    }

    /**
     * Fits the statistics of {@code rows}.
     *
     * @param rows one row of features per example
     * @return the standardizer
     */
    public static Standardizer fit(float[][] rows) {
        Checks.check(rows != null && rows.length > 0, "no rows to fit a standardizer on");
        Checks.check(rows[0] != null, "row 0 is null; pass a value for every row");
        int d = rows[0].length;
        double[] mean = new double[d];
        double[] sq = new double[d];
        for (int i = 0; i < rows.length; i++) {
            float[] r = rows[i];
            Checks.check(r != null, "row %d is null; pass a value for every row", i);
            Checks.check(r.length == d, "rows of %d and %d values; every row needs %d", d, r.length, d);
            for (int j = 0; j < d; j++) {
                Checks.check(Float.isFinite(r[j]),
                        "row %d, column %d is %s; fill in or drop missing values before fitting",
                        i, j, r[j]);
                mean[j] += r[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mean[j] /= rows.length;
        }
        for (float[] r : rows) {
            for (int j = 0; j < d; j++) {
                double c = r[j] - mean[j];
                sq[j] += c * c;
            }
        }
        double[] std = new double[d];
        for (int j = 0; j < d; j++) {
            double s = Math.sqrt(sq[j] / rows.length);
            // a spread below the smallest normal float is a constant column in float arithmetic,
            // and of(means, stds) must accept what fit gives
            std[j] = s >= Float.MIN_NORMAL ? s : 1;
        }
        return new Standardizer(mean, std, null);
    }

    /**
     * Fits the statistics of a training table's features.
     *
     * @param train the training rows
     * @return the standardizer
     */
    public static Standardizer fit(CsvDataset train) {
        Standardizer s = fit(Checks.notNull("train", train, "pass the training CSV dataset").features());
        return new Standardizer(s.means, s.stds, train.featureNames());
    }

    /**
     * A standardizer with known statistics, such as ones saved beside a model.
     *
     * @param means each column's mean
     * @param stds each column's standard deviation, finite and at least {@link Float#MIN_NORMAL}
     * @return the standardizer
     */
    public static Standardizer of(double[] means, double[] stds) {
        Checks.check(means != null && stds != null, "pass the means and the standard deviations");
        Checks.check(
                means.length == stds.length,
                "%d means but %d standard deviations; pass one of each per column",
                means.length,
                stds.length);
        for (int j = 0; j < stds.length; j++) {
            // below the smallest normal float, dividing a float feature by it overflows to infinity
            Checks.check(stds[j] >= Float.MIN_NORMAL && Double.isFinite(stds[j]),
                    "standard deviations must be finite and at least %s (the smallest normal float),"
                            + " got %s", Float.MIN_NORMAL, Arrays.toString(stds));
            Checks.check(Double.isFinite(means[j]),
                    "means must be finite numbers, got %s", Arrays.toString(means));
        }
        return new Standardizer(means.clone(), stds.clone(), null);
    }

    /**
     * Returns each column's mean.
     *
     * @return the means
     */
    public double[] means() {
        return means.clone();
    }

    /**
     * Returns each column's standard deviation (1 for a constant column).
     *
     * @return the standard deviations
     */
    public double[] stds() {
        return stds.clone();
    }

    /**
     * Standardizes rows with the fitted statistics, refusing a value that would come out NaN or
     * infinite.
     *
     * @param rows one row of features per example
     * @return new rows
     */
    public float[][] apply(float[][] rows) {
        Checks.notNull("rows", rows, "pass one row of features per example");
        float[][] out = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            Checks.check(rows[i] != null, "row %d is null; pass every example's features", i);
            Checks.check(
                    rows[i].length == means.length,
                    "row %d has %d values but the standardizer was fitted on %d columns",
                    i,
                    rows[i].length,
                    means.length);
            out[i] = new float[means.length];
            for (int j = 0; j < means.length; j++) {
                float v = (float) ((rows[i][j] - means[j]) / stds[j]);
                if (!Float.isFinite(v)) {
                    throw new LuzjException(String.format(Locale.ROOT,
                            "row %d, column %d is %s, which standardizes to %s; %s", i, j, rows[i][j], v,
                            Float.isFinite(rows[i][j])
                                    ? "the value is far outside the training data's range: check its unit"
                                    : "fill in or drop missing values before predicting"));
                }
                out[i][j] = v;
            }
        }
        return out;
    }

    /**
     * Standardizes a table's features, keeping its labels and names. A standardizer fitted on a
     * table takes only tables with the same feature columns in the same order.
     *
     * @param data the rows
     * @return a new table
     */
    public CsvDataset apply(CsvDataset data) {
        Checks.notNull("data", data, "pass the table to standardize");
        // same width, other columns: each would be scaled by another column's statistics
        Checks.check(columns == null || columns.equals(data.featureNames()),
                "the table's feature columns %s are not the ones the standardizer was fitted on, %s;"
                        + " read it with features(...) naming those columns in that order",
                data.featureNames(), columns);
        return data.withFeatures(apply(data.features()));
    }
}
