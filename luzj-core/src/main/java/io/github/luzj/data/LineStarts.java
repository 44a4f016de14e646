package io.github.luzj.data;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;
import java.util.ArrayDeque;

/**
 * A reader that tells the line of a character position, for error messages that name the line
 * a CSV record starts on.
 *
 * <p>Commons CSV counts records, not lines, and a record's character position is where the
 * parser began looking for it, before the empty lines it skips. This reader sees every line break
 * it hands on (LF, CRLF or a lone CR, each one break) and answers {@link #lineOf} for positions
 * that only grow, as the parser's records come; breaks already passed are forgotten, so it holds
 * no more than the parser's read-ahead.
 */
final class LineStarts extends FilterReader {

    /** A break at {@code at}, one or two characters long (CRLF). */
    private record Break(long at, int length) {}

    private final ArrayDeque<Break> ahead = new ArrayDeque<>();
    private long position;
    private long crAt = -1;
    private long breaksPassed;

    LineStarts(Reader in) {
        super(in);
    }

    /**
     * The 1-based line of the first character at or after {@code position} that is not on an
     * empty line: where a record the parser began looking for at {@code position} starts.
     *
     * @param position a character position, no smaller than the one asked before
     * @return its line
     */
    long lineOf(long position) {
        long p = position;
        while (!ahead.isEmpty() && ahead.peekFirst().at() < p) {
            ahead.pollFirst();
            breaksPassed++;
        }
        while (!ahead.isEmpty() && ahead.peekFirst().at() == p) {
            p += ahead.pollFirst().length(); // an empty line the parser skips
            breaksPassed++;
        }
        return breaksPassed + 1;
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
        if (c == '\n' && crAt == position - 1) {
            if (!ahead.isEmpty() && ahead.peekLast().at() == crAt) {
                ahead.pollLast(); // CRLF: one break, two characters long
                ahead.addLast(new Break(crAt, 2));
            }
        } else if (c == '\n' || c == '\r') {
            ahead.addLast(new Break(position, 1));
        }
        if (c == '\r') {
            crAt = position;
        }
        position++;
    }
}
