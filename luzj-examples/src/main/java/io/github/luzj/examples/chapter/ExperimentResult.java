package io.github.luzj.examples.chapter;

import java.nio.file.Path;

/** What an experiment returns: its figures, and the files that show them. */
public interface ExperimentResult {

    /**
     * Writes the experiment's files ({@code summary.json} and the rest) into {@code dir}, as the
     * command of the same name does.
     *
     * @param dir the folder, usually the staging folder of an {@code OutputSet}
     */
    void write(Path dir);

    /** Tells whether Ctrl-C cut the experiment short; the files say how far it got. */
    boolean interrupted();
}
