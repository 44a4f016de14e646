package io.github.luzj.callbacks.lr;

/**
 * The learning rate and momentum (SGD) or {@code beta1} (Adam) every parameter group held during
 * every simulated training step, as {@link ScheduleSpecs#simulate} records them.
 */
public final class ScheduleTrace {

    private final double[][] lr;
    private final double[][] momentum;

    ScheduleTrace(double[][] lr, double[][] momentum) {
        this.lr = lr;
        this.momentum = momentum;
    }

    /**
     * Returns the number of steps recorded.
     *
     * @return the step count
     */
    public int steps() {
        return lr.length;
    }

    /**
     * Returns the learning rate group {@code group} held during step {@code step}.
     *
     * @param step the step, from 0
     * @param group the group's index
     * @return the learning rate
     */
    public double lr(int step, int group) {
        return lr[step][group];
    }

    /**
     * Returns the momentum or {@code beta1} group {@code group} held during step {@code step}.
     *
     * @param step the step, from 0
     * @param group the group's index
     * @return the momentum
     */
    public double momentum(int step, int group) {
        return momentum[step][group];
    }

    /**
     * Returns one group's learning rates over all steps.
     *
     * @param group the group's index
     * @return a new array, one value per step
     */
    public double[] lrs(int group) {
        double[] out = new double[lr.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = lr[i][group];
        }
        return out;
    }

    /**
     * Returns one group's momentum values over all steps.
     *
     * @param group the group's index
     * @return a new array, one value per step
     */
    public double[] momentums(int group) {
        double[] out = new double[momentum.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = momentum[i][group];
        }
        return out;
    }
}
