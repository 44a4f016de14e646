package io.github.luzj.examples.bench;

import java.util.Locale;

/** The bench's progress lines on stdout, silenced by {@code --quiet}. */
final class BenchLog {

    private final boolean quiet;

    BenchLog(boolean quiet) {
        this.quiet = quiet;
    }

    void line(String format, Object... args) {
        if (!quiet) {
            System.out.println(String.format(Locale.ROOT, format, args));
            System.out.flush();
        }
    }
}
