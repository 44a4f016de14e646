package io.github.luzj.examples;

/**
 * Keeps a curve of any length in a bounded number of points for plotting: the steps are cut into
 * equal buckets and each bucket keeps the points of its lowest and highest learning rate, so
 * peaks and troughs survive and ten million steps draw as fast as a thousand.
 */
final class CurveSampler {

    private final long bucketSize;
    private final double[] steps;
    private final double[] lr;
    private final double[] momentum;
    private int size;
    private long bucket = -1;
    private int low;
    private int high;

    /**
     * Sizes the sampler.
     *
     * @param totalSteps how many points {@link #add} will receive
     * @param maxPoints the most points kept, at least 2
     */
    CurveSampler(long totalSteps, int maxPoints) {
        this.bucketSize = Math.max(1, (totalSteps + maxPoints / 2 - 1) / (maxPoints / 2));
        int capacity = (int) Math.min(maxPoints, 2 * ((totalSteps + bucketSize - 1) / bucketSize));
        this.steps = new double[capacity];
        this.lr = new double[capacity];
        this.momentum = new double[capacity];
    }

    /**
     * Offers one step, in step order.
     *
     * @param step the step
     * @param lrValue its learning rate
     * @param momentumValue its momentum or beta1
     */
    void add(long step, double lrValue, double momentumValue) {
        long b = step / bucketSize;
        if (b != bucket) {
            if (size + 2 > steps.length) {
                throw new IllegalStateException("more steps than announced: " + step);
            }
            bucket = b;
            low = size++;
            high = size++;
            set(low, step, lrValue, momentumValue);
            set(high, step, lrValue, momentumValue);
            return;
        }
        if (lrValue < lr[low]) {
            set(low, step, lrValue, momentumValue);
        }
        if (lrValue > lr[high]) {
            set(high, step, lrValue, momentumValue);
        }
    }

    private void set(int i, long step, double lrValue, double momentumValue) {
        steps[i] = step;
        lr[i] = lrValue;
        momentum[i] = momentumValue;
    }

    double[] steps() {
        return ordered(steps);
    }

    double[] lr() {
        return ordered(lr);
    }

    double[] momentum() {
        return ordered(momentum);
    }

    /** The kept points by step: within a bucket the low point may come after the high one. */
    private double[] ordered(double[] values) {
        double[] out = new double[size];
        for (int i = 0; i < size; i += 2) {
            boolean swap = i + 1 < size && steps[i] > steps[i + 1];
            out[i] = values[swap ? i + 1 : i];
            if (i + 1 < size) {
                out[i + 1] = values[swap ? i : i + 1];
            }
        }
        return out;
    }
}
