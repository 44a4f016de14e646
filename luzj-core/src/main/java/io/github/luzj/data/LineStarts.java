package io.github.luzj.data;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Arrays;

/**
 * A reader that tells the line of a character position, for error messages that name the line
 * a CSV record starts on.
 *
 * <p>Commons CSV counts records, not lines, and a record's character position is where the
 * parser began looking for it, before the empty lines it skips. This reader counts every line
 * break it hands on (LF, CRLF or a lone CR, each one break) and notes where each line that is not
 * empty starts, with the breaks before it; {@link #lineOf} answers for positions that only grow,
 * as the parser's records come, and forgets the lines before. So it holds one note per line of
 * the record being parsed (whose characters the parser holds anyway), and nothing for a run of
 * empty lines, however long.
 */
final class LineStarts extends FilterReader {

    private long position;
    private long breaks;
    private long crAt = Long.MIN_VALUE;
    private boolean atLineStart = true;
    /** The lines not yet asked about that hold a character: where each starts, and its breaks. */
    private long[] starts = new long[64];
    private long[] breaksBefore = new long[64];
    private int first;
    private int end;

    LineStarts(Reader in) {
        super(in);
    }

    /**
     * The 1-based line of the first character at or after {@code position} that is not a line
     * break: where a record the parser began looking for at {@code position} starts.
     *
     * @param position a character position, no smaller than the one asked before
     * @return its line
     */
    long lineOf(long position) {
        while (first < end && starts[first] < position) {
            first++;
        }
        return (first < end ? breaksBefore[first] : breaks) + 1;
    }

    /** How many line starts are held, for tests of the memory bound. */
    int held() {
        return end - first;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            see((char) c);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int n = super.read(buffer, offset, length);
        for (int i = 0; i < n; i++) {
            see(buffer[offset + i]);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = 0; // read, not skipped: every break must be seen
        while (skipped < n && read() >= 0) {
            skipped++;
        }
        return skipped;
    }

    private void see(char c) {
        if (c == '\r' || (c == '\n' && crAt != position - 1)) {
            breaks++; // the LF of a CRLF was counted with its CR
            atLineStart = true;
        } else if (c != '\n' && atLineStart) {
            note(position, breaks);
            atLineStart = false;
        }
        if (c == '\r') {
            crAt = position;
        }
        position++;
    }

    private void note(long start, long before) {
        if (end == starts.length) {
            int live = end - first;
            if (live > starts.length / 2) {
                starts = Arrays.copyOf(starts, starts.length * 2);
                breaksBefore = Arrays.copyOf(breaksBefore, breaksBefore.length * 2);
            }
            System.arraycopy(starts, first, starts, 0, live);
            System.arraycopy(breaksBefore, first, breaksBefore, 0, live);
            first = 0;
            end = live;
        }
        starts[end] = start;
        breaksBefore[end] = before;
        end++;
    }
}
