package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvDatasetTest {

    static final Path DATA = Path.of("..", "docs", "data");

    @Test
    void categoricalLabelsMapToSortedClassIndices() {
        CsvDataset iris = CsvDataset.builder(DATA.resolve("iris.csv")).label("species").categorical().build();
        assertThat(iris.size()).isEqualTo(150);
        assertThat(iris.featureNames())
                .containsExactly("sepal_length", "sepal_width", "petal_length", "petal_width");
        assertThat(iris.classNames()).containsExactly("setosa", "versicolor", "virginica");
        assertThat(iris.get(0).x().data()).containsExactly(5.1f, 3.5f, 1.4f, 0.2f);
        assertThat(iris.get(0).y().data()).containsExactly(0f);
        assertThat(iris.get(149).y().data()).containsExactly(2f);
    }

    @Test
    void explicitClassesFixTheMappingAndChosenColumnsTheFeatures() {
        CsvDataset bc = CsvDataset.builder(DATA.resolve("breast_cancer.csv"))
                .label("diagnosis").classes("benign", "malignant")
                .features("mean_radius", "worst_area")
                .build();
        assertThat(bc.featureNames()).containsExactly("mean_radius", "worst_area");
        assertThat(bc.get(0).x().data()).containsExactly(17.99f, 2019f);
        assertThat(bc.get(0).y().data()).containsExactly(1f); // malignant
        assertThat(bc.labels()).contains(0f, 1f);
    }

    @Test
    void numericLabelsAreRegressionTargets() {
        CsvDataset d = CsvDataset.builder(DATA.resolve("diabetes.csv")).label("progression").build();
        assertThat(d.size()).isEqualTo(442);
        assertThat(d.featureNames()).hasSize(10).startsWith("age", "sex");
        assertThat(d.get(0).y().data()).containsExactly(151f);
        assertThat(d.classNames()).isEmpty();
    }

    @Test
    void withoutALabelEveryColumnIsAFeature(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("new.csv"), "a,b\n1,2\n3,4\n");
        CsvDataset rows = CsvDataset.builder(f).build();
        assertThat(rows.labeled()).isFalse();
        assertThat(rows.get(1).labeled()).isFalse();
        assertThat(rows.features()).isDeepEqualTo(new float[][] {{1, 2}, {3, 4}});
    }

    @Test
    void theStandardizerIsFittedOnTheTrainingSplitOnly() {
        CsvDataset d = CsvDataset.builder(DATA.resolve("diabetes.csv")).label("progression").build();
        CsvDataset.Parts parts = d.split(0.8, 7);
        assertThat(parts.train().size()).isEqualTo(354);
        assertThat(parts.test().size()).isEqualTo(88);
        Standardizer scale = Standardizer.fit(parts.train());
        float[][] train = scale.apply(parts.train()).features();
        for (int j = 0; j < 10; j++) {
            double mean = 0;
            double sq = 0;
            for (float[] r : train) {
                mean += r[j];
                sq += (double) r[j] * r[j];
            }
            assertThat(mean / train.length).isCloseTo(0, Offset.offset(1e-5));
            assertThat(sq / train.length).isCloseTo(1, Offset.offset(1e-4));
        }
        // the held-out rows use the training statistics, so their mean is not exactly 0
        float[] first = parts.test().features()[0];
        float[] scaled = scale.apply(parts.test()).features()[0];
        assertThat(scaled[0]).isCloseTo((float) ((first[0] - scale.means()[0]) / scale.stds()[0]),
                Offset.offset(1e-5f));
        assertThat(scale.apply(parts.test()).labels()).containsExactly(parts.test().labels());
        // the same seed gives the same split
        assertThat(d.split(0.8, 7).test().labels()).containsExactly(parts.test().labels());
    }

    @Test
    void badFilesAreNamedWithLineAndColumn(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.csv"), "x,y,label\n1,2,a\n3,oops,b\n");
        assertThatThrownBy(() -> CsvDataset.builder(f).label("label").categorical().build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("line 3, feature column 'y': 'oops' is not a number");
        assertThatThrownBy(() -> CsvDataset.builder(f).label("target").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("no column 'target'; its columns are [x, y, label]");
        assertThatThrownBy(() -> CsvDataset.builder(f).label("label").features("x").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("'a' is not a number; call categorical()");
        assertThatThrownBy(() -> CsvDataset.builder(f).label("label").features("x").classes("a").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("line 3: label 'b' is not one of the classes [a]");
        Path ragged = Files.writeString(dir.resolve("r.csv"), "x,y\n1,2\n3\n");
        assertThatThrownBy(() -> CsvDataset.builder(ragged).build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("line 3 has 1 values but the header names 2 columns");
    }

    @Test
    void onlyFiniteDecimalNumbersAreRead(@TempDir Path dir) throws Exception {
        Path ok = Files.writeString(dir.resolve("ok.csv"), "a,y\n -1.5 ,2\n+3e2,.5\n4.,-6E-1\n1e-50,0\n");
        CsvDataset d = CsvDataset.builder(ok).label("y").build();
        assertThat(d.features()).isDeepEqualTo(new float[][] {{-1.5f}, {300f}, {4f}, {0f}});
        assertThat(d.labels()).containsExactly(2f, 0.5f, -0.6f, 0f);
        for (String bad : new String[] {"NaN", "nan", "Infinity", "-Infinity", "inf", "1e40", "-1e39",
                "0x1p3", "1f", "2d", "1_000", "1e", "--1", ".", "NA", "?"}) {
            Path f = Files.writeString(dir.resolve("bad.csv"), "a,y\n1,2\n" + bad + ",3\n");
            assertThatThrownBy(() -> CsvDataset.builder(f).label("y").build())
                    .as(bad)
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining(f + " line 3, feature column 'a': '" + bad + "'")
                    .hasMessageContaining("numbers must be finite decimals")
                    .hasMessageContaining("fill in or drop");
            Path l = Files.writeString(dir.resolve("badlabel.csv"), "a,y\n1,2\n3," + bad + "\n");
            assertThatThrownBy(() -> CsvDataset.builder(l).label("y").build())
                    .as(bad)
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining(l + " line 3, label column 'y': '" + bad + "'")
                    .hasMessageContaining("numbers must be finite decimals");
        }
        Path empty = Files.writeString(dir.resolve("empty.csv"), "a,y\n1,2\n,3\n");
        assertThatThrownBy(() -> CsvDataset.builder(empty).label("y").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("line 3, feature column 'a': the value is missing")
                .hasMessageContaining("fill in or drop the rows with missing values");
        Path nan = Files.writeString(dir.resolve("nan.csv"), "a,y\n1,NaN\n");
        assertThatThrownBy(() -> CsvDataset.builder(nan).label("y").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("line 2, label column 'y': 'NaN' is not a finite number");
    }

    @Test
    void aRepeatedColumnNameIsNamed(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("dup.csv"), "a,a,y\n1,2,3\n");
        assertThatThrownBy(() -> CsvDataset.builder(f).label("y").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(f + ": column name 'a' appears twice in the header (columns 1 and 2)");
        Path unnamed = Files.writeString(dir.resolve("unnamed.csv"), "a,,y\n1,2,3\n");
        assertThatThrownBy(() -> CsvDataset.builder(unnamed).label("y").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(unnamed + ": column 2 of the header has no name");
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheFirstName(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("excel.csv"), "\uFEFFy,a\n1,2\n3,4\n");
        CsvDataset d = CsvDataset.builder(f).label("y").build();
        assertThat(d.featureNames()).containsExactly("a");
        assertThat(d.labels()).containsExactly(1f, 3f);
    }

    @Test
    void aWideHeaderAndAHugeCellAreHandledQuickly(@TempDir Path dir) throws Exception {
        StringBuilder wide = new StringBuilder();
        for (int c = 0; c < 200_000; c++) {
            wide.append('c').append(c).append(',');
        }
        wide.append("y\n");
        Path w = Files.writeString(dir.resolve("wide.csv"), wide);
        // 200,000 names checked for repeats in one pass; the file has no rows
        assertThatThrownBy(() -> CsvDataset.builder(w).label("y").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageNotContaining("appears twice");
        Path big = Files.writeString(dir.resolve("big.csv"), "a,y\n" + "9".repeat(1_000_000) + ",1\n");
        assertThatThrownBy(() -> CsvDataset.builder(big).label("y").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("'9999999999999999999999999999999999999999... (1000000 characters)'")
                .matches(e -> e.getMessage().length() < 1000, "a short message");
    }

    @Test
    void theLineNamedIsTheOneTheRowStartsOnWhateverComesBefore(@TempDir Path dir) throws Exception {
        // blank lines (skipped), a quoted value over two lines, and each kind of line end
        String[] texts = {
            "x,y\n\n1,2\n\n\n3,oops\n",
            "x,y\n1,\"2\n\"\n3,oops\n",
            "x,y\r\n\r\n1,2\r\n\r\n\r\n3,oops\r\n",
            "x,y\r\r1,2\r\r\r3,oops\r",
            "x,y\n\n1,2\n\n\n3,oops",
        };
        int[] lines = {6, 4, 6, 6, 6};
        for (int i = 0; i < texts.length; i++) {
            Path f = Files.writeString(dir.resolve(i + ".csv"), texts[i]);
            assertThatThrownBy(() -> CsvDataset.builder(f).features("y").build())
                    .as(texts[i])
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining(f + " line " + lines[i] + ", feature column 'y'");
        }
        // far past the reader's first buffer, blank lines on the way
        StringBuilder many = new StringBuilder("a,y\n");
        for (int i = 0; i < 5000; i++) {
            many.append(i).append(",1\n\n");
        }
        Path big = Files.writeString(dir.resolve("big.csv"), many.append("7\n"));
        assertThatThrownBy(() -> CsvDataset.builder(big).build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(big + " line 10002 has 1 values");
        Path labels = Files.writeString(dir.resolve("l.csv"), "x,y\n\n1,a\n\n2,b\n");
        assertThatThrownBy(() -> CsvDataset.builder(labels).label("y").classes("a").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("line 5: label 'b' is not one of the classes [a]");
        assertThatThrownBy(() -> CsvDataset.builder(labels).label("y").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("line 3, label column 'y': 'a' is not a number");
    }

    @Test
    void aMissingCategoricalLabelIsRefusedUnlessTheClassesNameIt(@TempDir Path dir) throws Exception {
        for (String gap : new String[] {"", "  ", "NA", "?", "null"}) {
            Path f = Files.writeString(dir.resolve("gap.csv"), "a,b,y\n1,2,cat\n3,4," + gap + "\n5,6,dog\n");
            assertThatThrownBy(() -> CsvDataset.builder(f).label("y").categorical().build())
                    .as("'%s'", gap)
                    .isExactlyInstanceOf(LuzjException.class)
                    .hasMessageContaining("line 3, label column 'y'")
                    .hasMessageContaining("fill in or drop the rows with missing values")
                    .hasMessageContaining("classes(...)");
        }
        Path twoMarks = Files.writeString(dir.resolve("bom2.csv"), "\uFEFF\uFEFFa,y\n1,x\n");
        assertThatThrownBy(() -> CsvDataset.builder(twoMarks).label("y").categorical().build())
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("column 1's name holds a byte order mark");
        // named by the user, the same word is a class
        Path f = Files.writeString(dir.resolve("none.csv"), "a,y\n1,none\n2,mild\n");
        CsvDataset d = CsvDataset.builder(f).label("y").categorical().classes("mild", "none").build();
        assertThat(d.labels()).containsExactly(1f, 0f);
    }

    @Test
    void bytesThatAreNotUtf8AreSaidSo(@TempDir Path dir) throws Exception {
        byte[] head = "a,y\n1,2\n3,".getBytes(StandardCharsets.UTF_8);
        byte[] latin1 = "caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = Arrays.copyOf(head, head.length + latin1.length);
        System.arraycopy(latin1, 0, all, head.length, latin1.length);
        Path f = Files.write(dir.resolve("latin1.csv"), all);
        assertThatThrownBy(() -> CsvDataset.builder(f).label("y").categorical().build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(f + " line 3 is not UTF-8 text")
                .hasMessageContaining("save it as UTF-8");
        // past the reader's first buffer, the line is still the one of the bad byte
        StringBuilder many = new StringBuilder("a,y\n");
        for (int i = 0; i < 5000; i++) {
            many.append(i).append(",1\n");
        }
        byte[] start = many.toString().getBytes(StandardCharsets.UTF_8);
        byte[] big = Arrays.copyOf(start, start.length + 4);
        big[start.length] = '7';
        big[start.length + 1] = ',';
        big[start.length + 2] = (byte) 0xff;
        big[start.length + 3] = '\n';
        Path g = Files.write(dir.resolve("big.csv"), big);
        assertThatThrownBy(() -> CsvDataset.builder(g).label("y").build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(g + " line 5002 is not UTF-8 text");
        // a lone CR ends a line too, and CRLF ends one, not two
        for (String end : new String[] {"\r", "\r\n"}) {
            byte[] text = ("a,y" + end + "1,2" + end + "3,").getBytes(StandardCharsets.UTF_8);
            byte[] bad = Arrays.copyOf(text, text.length + 1);
            bad[text.length] = (byte) 0xff;
            Path h = Files.write(dir.resolve("cr" + end.length() + ".csv"), bad);
            assertThatThrownBy(() -> CsvDataset.builder(h).label("y").build())
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining(h + " line 3 is not UTF-8 text");
        }
    }

    @Test
    void aPathThatIsNotAFileIsNamed(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> CsvDataset.builder(dir.resolve("missing.csv")).build())
                .isInstanceOf(LuzjException.class)
                .hasMessage("CSV file " + dir.resolve("missing.csv") + " does not exist; check the path");
        assertThatThrownBy(() -> CsvDataset.builder(dir).build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a directory, not a file");
        Path loop = dir.resolve("loop.csv");
        Files.createSymbolicLink(loop, loop);
        assertThatThrownBy(() -> CsvDataset.builder(loop).build())
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a symlink loop");
    }

    @Test
    void builderArgumentsAreChecked(@TempDir Path dir) throws Exception {
        Path f = Files.writeString(dir.resolve("t.csv"), "a;y\n1;2\n");
        CsvDataset.Builder b = CsvDataset.builder(f);
        assertThatThrownBy(() -> b.delimiter('"'))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("delimiter must be")
                .hasMessageContaining("got '\"'");
        assertThatThrownBy(() -> b.delimiter('\n'))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("delimiter must be")
                .hasMessageContaining("got '\\n'");
        assertThatThrownBy(() -> b.delimiter('\r'))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("got '\\r'");
        assertThatThrownBy(() -> b.features((String[]) null))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("features is null");
        assertThatThrownBy(() -> b.features("a", null))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("features[1] is null");
        assertThatThrownBy(() -> b.classes((String[]) null))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("classes is null");
        assertThatThrownBy(() -> b.classes("x", null))
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("classes[1] is null");
        assertThatThrownBy(() -> b.classes())
                .isInstanceOf(LuzjException.class)
                .hasMessageStartingWith("classes is empty");
        assertThatThrownBy(() -> b.classes("cat", "dog", "cat"))
                .isInstanceOf(LuzjException.class)
                .hasMessage("classes names 'cat' twice (classes[0] and classes[2]); each class needs its own name");
        assertThat(b.delimiter(';').features("a").label("y").build().size()).isEqualTo(1);
    }
}
