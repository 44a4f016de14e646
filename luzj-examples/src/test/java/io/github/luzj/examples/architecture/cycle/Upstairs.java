package io.github.luzj.examples.architecture.cycle;

import io.github.luzj.examples.architecture.cycle.down.Downstairs;

/** Half of a deliberate package cycle: {@code ArchitectureTest} checks that its rule sees it. */
public final class Upstairs {

    private Upstairs() {}

    /**
     * Calls down.
     *
     * @return a value from the package below
     */
    public static int down() {
        return Downstairs.value();
    }
}
