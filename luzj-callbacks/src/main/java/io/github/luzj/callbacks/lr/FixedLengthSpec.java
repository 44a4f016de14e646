package io.github.luzj.callbacks.lr;

/**
 * A schedule with a fixed number of steps, given as {@code total_steps} or as
 * {@code epochs x steps_per_epoch} (one-cycle, warmup-stable-decay): what it leaves unset is
 * filled from the fit, and its length is what the scheduler callback compares with the fit's.
 *
 * @param <S> the spec itself, for its copies
 */
interface FixedLengthSpec<S extends FixedLengthSpec<S>> extends SchedulerSpec {

    Integer totalSteps();

    Integer epochs();

    Integer stepsPerEpoch();

    S epochs(int value);

    S stepsPerEpoch(int value);

    int resolveTotalSteps();

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    @Override
    default S withDefaultStepsPerEpoch(int steps) {
        return totalSteps() == null && stepsPerEpoch() == null ? stepsPerEpoch(steps) : self();
    }

    @Override
    default S withFitDefaults(int fitEpochs, int steps) {
        if (totalSteps() != null) {
            return self();
        }
        S s = epochs() == null ? epochs(fitEpochs) : self();
        return stepsPerEpoch() == null ? s.stepsPerEpoch(steps) : s;
    }

    @Override
    default long plannedSteps() {
        return resolveTotalSteps();
    }
}
