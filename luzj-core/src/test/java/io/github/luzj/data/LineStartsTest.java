package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.nio.file.Files;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Random CSV texts whose records' start lines are known by construction: blank lines of each kind,
 * whitespace-only lines, quoted values spanning lines, BOM, long files past the read-ahead; the
 * error must name the line the bad row starts on.
 */
class LineStartsTest {

    static final String[] EOLS = {"\n", "\r\n", "\r"};

    @Test
    void namesTheStartLine(@TempDir Path dir) throws Exception {
        Random r = new Random(42);
        int failures = 0;
        StringBuilder report = new StringBuilder();
        for (int iter = 0; iter < 400; iter++) {
            StringBuilder t = new StringBuilder();
            if (r.nextBoolean()) {
                t.append('\uFEFF');
            }
            int nrec = 1 + r.nextInt(iter < 50 ? 3000 : 40);
            int bad = r.nextInt(nrec);
            int badKind = r.nextInt(3); // 0 number, 1 too few values, 2 whitespace-only line
            // a leading run of blank lines before the header
            int lead = r.nextInt(3);
            String last = "";
            for (int i = 0; i < lead; i++) {
                last = eol(r, last);
                t.append(last);
            }
            t.append("x,y");
            last = eol(r, last);
            t.append(last);
            long expected = -1;
            for (int i = 0; i < nrec; i++) {
                int blanks = r.nextInt(4) == 0 ? r.nextInt(4) : 0;
                for (int b = 0; b < blanks; b++) {
                    last = eol(r, last);
                    t.append(last);
                }
                if (i == bad) {
                    expected = lineAt(t, t.length());
                }
                if (i == bad && badKind == 1) {
                    t.append("5");
                } else if (i == bad && badKind == 2) {
                    t.append(r.nextBoolean() ? "   " : " \t ");
                } else {
                    t.append(i == bad ? "oops" : (r.nextBoolean() ? "1" : " 2 "));
                    t.append(',');
                    if (r.nextBoolean()) {
                        t.append('"');
                        int parts = r.nextInt(4);
                        for (int k = 0; k < parts; k++) {
                            t.append("q");
                            t.append(EOLS[r.nextInt(3)]);
                            if (r.nextInt(3) == 0) {
                                t.append(EOLS[r.nextInt(3)]);
                            }
                        }
                        t.append("z\"");
                    } else {
                        t.append("w");
                    }
                }
                if (i < nrec - 1 || r.nextBoolean()) {
                    last = eol(r, "");
                    t.append(last);
                } else {
                    last = "";
                }
                if (i == nrec - 1) {
                    int trail = r.nextInt(3);
                    for (int b = 0; b < trail; b++) {
                        last = eol(r, last);
                        t.append(last);
                    }
                }
            }
            Path f = dir.resolve(iter + ".csv");
            Files.writeString(f, t);
            String want = badKind == 0
                    ? f + " line " + expected + ", feature column 'x'"
                    : f + " line " + expected + " has 1 values";
            try {
                CsvDataset.builder(f).features("x").build();
                failures++;
                report.append(iter).append(": no error, wanted ").append(want).append('\n');
            } catch (LuzjException e) {
                if (!e.getMessage().contains(want)) {
                    failures++;
                    report.append(iter).append(": ").append(e.getMessage()).append(" wanted ")
                            .append(want).append('\n');
                }
            } catch (Throwable e) {
                failures++;
                report.append(iter).append(": threw ").append(e).append('\n');
            }
        }
        assertThat(failures).as(report.toString()).isZero();
    }

    @Test
    void aFileThatStartsWithABlankLfLineIsCountedFromLineOne(@TempDir Path dir) throws Exception {
        // an LF at position 0 once passed for the LF of a CRLF, so every line named was one short
        for (String text : new String[] {"\nx,y\n1,oops\n", "\uFEFF\nx,y\n1,oops\n"}) {
            Path f = Files.writeString(dir.resolve("lead.csv"), text);
            assertThatThrownBy(() -> CsvDataset.builder(f).build())
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining(f + " line 3, feature column 'y'");
        }
    }

    @Test
    void aMillionBlankLinesAreCountedWithoutBeingHeld() throws Exception {
        // the parser skips blank lines without a record, so nothing asks about them as they pass
        String text = "x,y\n1,2\n" + "\n".repeat(1_000_000) + "3,4\n";
        LineStarts lines = new LineStarts(new StringReader(text));
        char[] buffer = new char[8192];
        while (lines.read(buffer, 0, buffer.length) >= 0) {
            // as the parser's read-ahead does
        }
        assertThat(lines.held()).as("line starts held").isEqualTo(3);
        assertThat(lines.lineOf(text.indexOf("3,4"))).isEqualTo(1_000_003);
    }

    /** A line end that does not merge with the previous one (a CR then an LF is one CRLF). */
    private static String eol(Random r, String previous) {
        String e = EOLS[r.nextInt(3)];
        while (previous.endsWith("\r") && e.startsWith("\n")) {
            e = EOLS[r.nextInt(3)];
        }
        return e;
    }

    /** 1 + the line breaks (LF, CRLF, lone CR) before position {@code end}. */
    static long lineAt(CharSequence t, int end) {
        long line = 1;
        for (int i = 0; i < end; i++) {
            char c = t.charAt(i);
            if (c == '\r' || (c == '\n' && (i == 0 || t.charAt(i - 1) != '\r'))) {
                line++;
            }
        }
        return line;
    }
}
