package io.github.luzj.lrfinder;

/** Why an LR-finder sweep ended. */
public enum StopReason {
    /** Every requested step ran. */
    COMPLETED,
    /** The smoothed loss exceeded the divergence factor times its minimum. */
    DIVERGED,
    /** A step's loss was NaN or infinite. */
    NON_FINITE_LOSS
}
