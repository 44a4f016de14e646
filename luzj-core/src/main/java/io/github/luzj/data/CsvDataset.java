package io.github.luzj.data;

import io.github.luzj.base.Checks;
import io.github.luzj.base.InputFiles;
import io.github.luzj.base.LuzjException;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.commons.csv.CSVException;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;

/**
 * A table read from a CSV file with a header row (through Apache Commons CSV): numeric feature
 * columns and, optionally, one label column, numeric (a regression target or class indices) or
 * categorical (names mapped to class indices). Split it, standardize it with statistics fitted on
 * the training part, and hand it to a {@link DataLoader}.
 *
 * <pre>{@code
 * CsvDataset iris = CsvDataset.builder(Path.of("iris.csv")).label("species").categorical().build();
 * CsvDataset.Parts parts = iris.split(0.8, 42);
 * Standardizer scale = Standardizer.fit(parts.train());
 * DataLoader train = DataLoader.builder(scale.apply(parts.train())).batchSize(16).shuffle(true).build();
 * }</pre>
 */
public final class CsvDataset implements SampleDataset {

    private final List<String> featureNames;
    private final List<String> classNames;
    private final TensorDataset data;
    private final float[][] rows;
    private final float[] labels;

    private CsvDataset(
            List<String> featureNames, List<String> classNames, float[][] rows, float[] labels) {
        this.featureNames = List.copyOf(featureNames);
        this.classNames = List.copyOf(classNames);
        this.rows = rows;
        this.labels = labels;
        this.data = labels == null ? TensorDataset.of(rows) : TensorDataset.of(rows, labels);
    }

    /**
     * Starts reading {@code file}, whose first row names the columns.
     *
     * @param file the CSV file
     * @return a builder
     */
    public static Builder builder(Path file) {
        Checks.check(file != null, "the CSV path is null; pass the file to read");
        return new Builder(file);
    }

    /**
     * The two parts of a {@link #split}.
     *
     * @param train the training rows
     * @param test the held-out rows
     */
    public record Parts(CsvDataset train, CsvDataset test) {}

    /**
     * Returns the feature columns' names, in the order of each row's values.
     *
     * @return the names
     */
    public List<String> featureNames() {
        return featureNames;
    }

    /**
     * Returns the classes of a categorical label, index {@code i} being class {@code i}.
     *
     * @return the class names, empty for a numeric or absent label
     */
    public List<String> classNames() {
        return classNames;
    }

    /**
     * Tells whether the rows have labels.
     *
     * @return false when no label column was chosen
     */
    public boolean labeled() {
        return labels != null;
    }

    /**
     * Returns a copy of the features, one row per example.
     *
     * @return the features
     */
    public float[][] features() {
        float[][] copy = new float[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            copy[i] = rows[i].clone();
        }
        return copy;
    }

    /**
     * Returns a copy of the labels.
     *
     * @return the labels (class indices as floats for a categorical label)
     * @throws LuzjException when there is no label column
     */
    public float[] labels() {
        Checks.check(labels != null, "the CSV was read without a label column; choose one with label(...)");
        return labels.clone();
    }

    /**
     * The same features without labels, to predict on.
     *
     * @return the unlabeled examples
     */
    public TensorDataset withoutLabels() {
        return TensorDataset.of(rows);
    }

    /**
     * Splits the rows at random into a training part and a held-out part.
     *
     * @param trainFraction the training share, in (0, 1)
     * @param seed the shuffle's seed
     * @return the two parts, each keeping the column and class names
     */
    public Parts split(double trainFraction, long seed) {
        Checks.check(
                trainFraction > 0 && trainFraction < 1,
                "the training fraction must be in (0, 1), got %s",
                trainFraction);
        int n = rows.length;
        int nTrain = (int) Math.round(n * trainFraction);
        Checks.check(
                nTrain >= 1 && nTrain < n,
                "splitting %d rows at %s leaves a part empty; use more rows or another fraction",
                n,
                trainFraction);
        int[] order = Subset.shuffledIndices(n, seed);
        return new Parts(select(Arrays.copyOfRange(order, 0, nTrain)),
                select(Arrays.copyOfRange(order, nTrain, n)));
    }

    /**
     * Returns these rows with their features replaced, keeping labels and names (what a
     * {@link Standardizer} uses).
     *
     * @param newRows the new features, one row per example
     * @return the new dataset
     */
    CsvDataset withFeatures(float[][] newRows) {
        return new CsvDataset(featureNames, classNames, newRows, labels);
    }

    private CsvDataset select(int[] idx) {
        float[][] r = new float[idx.length][];
        float[] l = labels == null ? null : new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            r[i] = rows[idx[i]];
            if (l != null) {
                l[i] = labels[idx[i]];
            }
        }
        return new CsvDataset(featureNames, classNames, r, l);
    }

    @Override
    public int size() {
        return data.size();
    }

    @Override
    public Sample get(int index) {
        return data.get(index); // TensorDataset checks the index
    }

    /** What to read from the file. */
    public static final class Builder {
        /** A plain decimal: sign, digits, a fraction, an exponent; no NaN, infinity, hex or suffix. */
        private static final Pattern DECIMAL =
                Pattern.compile("[+-]?(?:[0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(?:[eE][+-]?[0-9]+)?");
        /** How spreadsheets, pandas and R write a missing or undefined number. */
        private static final Pattern MISSING_MARK = Pattern.compile(
                "(?i)[+-]?(?:nan|inf|infinity)|na|n/a|null|none|\\?|-");
        private static final String MISSING = "fill in or drop the rows with missing values";
        private static final String FINITE = "numbers must be finite decimals such as 3, -0.5 or 1.2e-3";

        private final Path file;
        private String label;
        private List<String> features;
        private boolean categorical;
        private List<String> classes;
        private char delimiter = ',';

        private Builder(Path file) {
            this.file = file;
        }

        /**
         * Names the label column (none by default: every column is a feature, for prediction).
         *
         * @param column the header name of the label column
         * @return this builder
         */
        public Builder label(String column) {
            // null would quietly read the label column as a feature
            this.label = Checks.notNull("column", column,
                    "pass the label column's header name, or leave label out for unlabeled data");
            return this;
        }

        /**
         * Chooses the feature columns (by default every column but the label).
         *
         * @param columns header names, in the order the model sees them
         * @return this builder
         */
        public Builder features(String... columns) {
            List<String> given = names("features", columns, "pass the feature columns' header names");
            // the column would be read twice, and the model would see it as two features
            once("features", given, "name each column once");
            this.features = given;
            return this;
        }

        /**
         * Reads the label as category names, mapped to class indices 0, 1, ... in sorted order.
         *
         * @return this builder
         */
        public Builder categorical() {
            this.categorical = true;
            return this;
        }

        /**
         * Reads the label as these category names, class {@code i} being {@code names[i]}; any
         * other value is refused. Use it to keep the same mapping for every file.
         *
         * @param names the classes, in index order
         * @return this builder
         * @throws LuzjException for no name, a null or a repeated one
         */
        public Builder classes(String... names) {
            List<String> given = names("classes", names, "pass the label's category names");
            Checks.check(!given.isEmpty(), "classes is empty; pass the label's category names, or use categorical()");
            // a repeated name would silently map to its first index
            once("classes", given, "each class needs its own name");
            this.categorical = true;
            this.classes = given;
            return this;
        }

        /**
         * Sets the delimiter (a comma by default).
         *
         * @param delimiter for example {@code ';'} or {@code '\t'}
         * @return this builder
         * @throws LuzjException for a line break or the quote {@code '"'}
         */
        public Builder delimiter(char delimiter) {
            if (delimiter == '\n' || delimiter == '\r' || delimiter == '"') {
                throw Checks.fail("delimiter",
                        "a character other than a line break or the quote '\"' (for example ','"
                                + " ';' or '\\t')",
                        "'" + (delimiter == '\n' ? "\\n" : delimiter == '\r' ? "\\r" : "\"") + "'");
            }
            this.delimiter = delimiter;
            return this;
        }

        /** Refuses a name given twice in {@code given}, naming both places. */
        private static void once(String argument, List<String> given, String fix) {
            for (int i = 0; i < given.size(); i++) {
                int first = given.indexOf(given.get(i));
                Checks.check(first == i, "%s names '%s' twice (%s[%d] and %s[%d]); %s",
                        argument, given.get(i), argument, first, argument, i, fix);
            }
        }

        private static List<String> names(String argument, String[] values, String fix) {
            Checks.notNull(argument, values, fix);
            for (int i = 0; i < values.length; i++) {
                Checks.notNull(argument + "[" + i + "]", values[i], fix);
            }
            return List.of(values);
        }

        /**
         * Reads the file.
         *
         * @return the dataset
         * @throws LuzjException naming the file, line and column of a value that cannot be read
         */
        public CsvDataset build() {
            InputFiles.checkReadable(file, "CSV file", "check the path");
            CSVFormat format = CSVFormat.DEFAULT.builder()
                    .setDelimiter(delimiter)
                    .setHeader()
                    .setSkipHeaderRecord(true)
                    .setIgnoreEmptyLines(true)
                    .setTrim(true)
                    // both checked in header(), to name the column
                    .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
                    .setAllowMissingColumnNames(true)
                    .get();
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                skipByteOrderMark(in);
                LineStarts lines = new LineStarts(in);
                try (CSVParser parser = CSVParser.parse(lines, format)) {
                    return read(parser, lines);
                }
            } catch (UncheckedIOException e) {
                throw unreadable(e.getCause());
            } catch (IOException | IllegalArgumentException | IllegalStateException e) {
                throw unreadable(e);
            }
        }

        private CsvDataset read(CSVParser parser, LineStarts lines) {
            List<String> header = header(parser.getHeaderNames());
            List<String> featureColumns = featureColumns(header);
            Map<String, Integer> given = classes == null ? null : indexOf(classes);
            List<float[]> rows = new ArrayList<>();
            List<String> names = new ArrayList<>(); // categorical labels, as written
            float[] values = new float[64]; // numeric labels
            for (CSVRecord r : parser) {
                // each row is checked as it comes, since only then is its line known
                long line = lines.lineOf(r.getCharacterPosition());
                Checks.check(
                        r.isConsistent(),
                        "%s line %d has %d values but the header names %d columns",
                        file, line, r.size(), header.size());
                float[] row = new float[featureColumns.size()];
                for (int j = 0; j < featureColumns.size(); j++) {
                    row[j] = number(r.get(featureColumns.get(j)), line, featureColumns.get(j), "feature");
                }
                if (label != null && categorical) {
                    String name = r.get(label);
                    if (given == null && (name.isBlank() || MISSING_MARK.matcher(name.trim()).matches())) {
                        // a gap in the label column would become a class of its own, one output
                        // of the model trained to predict "unknown"
                        throw new LuzjException(String.format(Locale.ROOT,
                                "%s line %d, label column '%s': %s; %s, or name the classes with"
                                        + " classes(...) if it is one",
                                file, line, label,
                                name.isBlank() ? "the value is missing" : "'" + Checks.echo(name) + "' marks a missing value",
                                MISSING));
                    }
                    if (given != null && !given.containsKey(name)) {
                        throw new LuzjException(String.format(Locale.ROOT,
                                "%s line %d: label '%s' is not one of the classes %s",
                                file, line, Checks.echo(name), classes));
                    }
                    names.add(name);
                } else if (label != null) {
                    if (rows.size() == values.length) {
                        values = Arrays.copyOf(values, values.length * 2);
                    }
                    values[rows.size()] = number(r.get(label), line, label, "label");
                }
                rows.add(row);
            }
            Checks.check(!rows.isEmpty(), "%s has a header but no rows", file);
            List<String> classNames = List.of();
            float[] labels = null;
            if (label != null && categorical) {
                classNames = classes != null ? classes : List.copyOf(new TreeSet<>(names));
                Map<String, Integer> index = indexOf(classNames);
                labels = new float[names.size()];
                for (int i = 0; i < labels.length; i++) {
                    labels[i] = index.get(names.get(i));
                }
            } else if (label != null) {
                labels = Arrays.copyOf(values, rows.size());
            }
            return new CsvDataset(featureColumns, classNames, rows.toArray(new float[0][]), labels);
        }

        private static Map<String, Integer> indexOf(List<String> names) {
            Map<String, Integer> index = new HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                index.put(names.get(i), i);
            }
            return index;
        }

        /** Excel's "CSV UTF-8" starts with a byte order mark, which is not part of the first name. */
        private static void skipByteOrderMark(BufferedReader in) throws IOException {
            in.mark(1);
            if (in.read() != '\uFEFF') {
                in.reset();
            }
        }

        private LuzjException unreadable(Throwable e) {
            if (e instanceof CharacterCodingException) {
                OptionalLong line = firstLineNotUtf8(file);
                return new LuzjException(String.format(Locale.ROOT,
                        "%s%s is not UTF-8 text (another encoding, or not a text file); save it as"
                                + " UTF-8 (in Excel: CSV UTF-8) and read it again",
                        file, line.isPresent() ? " line " + line.getAsLong() : ""), e);
            }
            if (e instanceof CSVException) {
                return new LuzjException("cannot read the CSV file " + file + ": " + e.getMessage()
                        + "; check the quotes there (a value holding the delimiter, a quote or a"
                        + " line break goes in double quotes, its own quotes doubled)", e);
            }
            if (e instanceof IOException io) {
                return InputFiles.unreadable(file, "CSV file", io);
            }
            return new LuzjException("cannot read the CSV file " + file + ": " + e.getMessage(), e);
        }

        /**
         * Finds the line of the first byte that is not UTF-8: the reader decodes a buffer ahead of
         * the parser, so the parser's line is not the one.
         */
        private static OptionalLong firstLineNotUtf8(Path file) {
            ByteBuffer bytes;
            try {
                bytes = ByteBuffer.wrap(Files.readAllBytes(file));
            } catch (IOException | OutOfMemoryError e) {
                return OptionalLong.empty();
            }
            CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
            CharBuffer chars = CharBuffer.allocate(8192);
            while (true) {
                CoderResult result = decoder.decode(bytes, chars, true);
                if (result.isError()) {
                    long line = 1;
                    for (int i = 0; i < bytes.position(); i++) {
                        byte b = bytes.get(i); // LF, CRLF and a lone CR each end a line
                        if (b == '\r' || (b == '\n' && (i == 0 || bytes.get(i - 1) != '\r'))) {
                            line++;
                        }
                    }
                    return OptionalLong.of(line);
                }
                if (result.isUnderflow()) {
                    return OptionalLong.empty();
                }
                chars.clear();
            }
        }

        private List<String> header(List<String> names) {
            // first positions by name: a header of half a million columns is one pass, not n^2
            java.util.Map<String, Integer> firstAt = new java.util.HashMap<>();
            for (int i = 0; i < names.size(); i++) {
                Checks.check(
                        !names.get(i).isEmpty(),
                        "%s: column %d of the header has no name; name every column in the first"
                                + " line",
                        file, i + 1);
                // the reader skips one byte order mark; a second, from a file saved with one
                // twice, would be an invisible first letter of the name
                Checks.check(
                        names.get(i).indexOf('\uFEFF') < 0,
                        "%s: column %d's name holds a byte order mark (U+FEFF), invisible in most"
                                + " editors; the file was saved with more than one: save it again as"
                                + " UTF-8",
                        file, i + 1);
                int first = firstAt.computeIfAbsent(names.get(i), n -> firstAt.size());
                Checks.check(
                        first == i,
                        "%s: column name '%s' appears twice in the header (columns %d and %d);"
                                + " give each column its own name",
                        file, names.get(i), first + 1, i + 1);
            }
            return names;
        }

        private List<String> featureColumns(List<String> header) {
            Checks.check(!header.isEmpty(), "%s has no header row naming its columns", file);
            if (label != null) {
                Checks.check(
                        header.contains(label),
                        "%s has no column '%s'; its columns are %s",
                        file, label, header);
            }
            if (features == null) {
                List<String> all = new ArrayList<>(header);
                all.remove(label);
                Checks.check(!all.isEmpty(), "%s has no column besides the label", file);
                return all;
            }
            Checks.check(!features.isEmpty(), "features() needs at least one column");
            for (String f : features) {
                Checks.check(
                        header.contains(f), "%s has no column '%s'; its columns are %s",
                        file, f, header);
                Checks.check(
                        !f.equals(label), "column '%s' cannot be both a feature and the label", f);
            }
            return features;
        }

        private float number(String v, long line, String column, String what) {
            String where = String.format(Locale.ROOT,
                    "%s line %d, %s column '%s'", file, line, what, column);
            String t = v.trim();
            if (t.isEmpty()) {
                throw new LuzjException(where + ": the value is missing; " + MISSING);
            }
            if (!DECIMAL.matcher(t).matches()) {
                if (MISSING_MARK.matcher(t).matches()) {
                    throw new LuzjException(String.format(Locale.ROOT,
                            "%s: '%s' is not a finite number; %s (%s)", where, Checks.echo(v), MISSING, FINITE));
                }
                throw new LuzjException(String.format(Locale.ROOT,
                        "%s: '%s' is not a number; %s (%s; fill in or drop missing values)",
                        where, Checks.echo(v),
                        what.equals("label")
                                ? "call categorical() to map label names to classes"
                                : "choose numeric columns with features(...)",
                        FINITE));
            }
            float f = Float.parseFloat(t);
            if (!Float.isFinite(f)) {
                throw new LuzjException(String.format(Locale.ROOT,
                        "%s: '%s' is beyond a float's range (about 3.4e38); rescale the column"
                                + " (%s; fill in or drop missing values)",
                        where, Checks.echo(v), FINITE));
            }
            return f;
        }
    }
}
