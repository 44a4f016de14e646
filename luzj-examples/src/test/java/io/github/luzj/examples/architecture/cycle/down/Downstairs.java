package io.github.luzj.examples.architecture.cycle.down;

import io.github.luzj.examples.architecture.cycle.Upstairs;

/** The other half of the deliberate cycle: it calls back up. */
public final class Downstairs {

    private Downstairs() {}

    /**
     * A value, computed upstairs when asked twice.
     *
     * @return 1
     */
    public static int value() {
        return 1;
    }

    /**
     * Calls up, closing the cycle.
     *
     * @return a value from the package above
     */
    public static int up() {
        return Upstairs.down();
    }
}
