package io.github.luzj.examples.cli;

import io.github.luzj.base.OutputSet;
import io.github.luzj.examples.chapter.ExperimentResult;
import java.nio.file.Path;

/** A command's last step: its result's files written as one set into the output folder. */
final class Outputs {

    /** The exit code of a run cut short by Ctrl-C, as a shell reports it. */
    static final int INTERRUPTED = 130;

    private Outputs() {}

    /**
     * Writes the result's files and says where.
     *
     * @return the process's exit code: {@value #INTERRUPTED} when Ctrl-C cut the run short
     */
    static int write(Path out, ExperimentResult result) {
        OutputSet.write(out, result::write);
        System.out.println("Wrote " + out.resolve("summary.json"));
        return result.interrupted() ? INTERRUPTED : 0;
    }
}
