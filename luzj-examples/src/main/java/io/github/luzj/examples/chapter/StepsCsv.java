package io.github.luzj.examples.chapter;

import io.github.luzj.base.AtomicFiles;
import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.Locale;

/** {@code lr.csv}: the learning rate and momentum (or beta1) the optimizer applied at each step. */
final class StepsCsv {

    private StepsCsv() {}

    static void write(Records records, String group, Path file) {
        StringBuilder sb = new StringBuilder("step,lr,momentum\n");
        for (Records.StepEntry s : records.steps()) {
            if (s.group().equals(group)) {
                sb.append(String.format(Locale.ROOT, "%d,%s,%s%n", s.step(), s.lr(), s.momentum()));
            }
        }
        AtomicFiles.writeString(file, sb.toString());
    }
}
