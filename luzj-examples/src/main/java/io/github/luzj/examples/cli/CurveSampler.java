package io.github.luzj.examples.cli;

import java.util.Arrays;

/**
 * Keeps a curve of any length in a bounded number of points for plotting: the steps are cut into
 * equal buckets and each bucket keeps the points of its lowest and highest learning rate, so
 * peaks and troughs survive and ten million steps draw as fast as a thousand.
 */
final class CurveSampler {

    private final long bucketSize;
    private final Point[] low;
    private final Point[] high;
    private int buckets;

    private record Point(long step, double lr, double momentum) {}

    /**
     * Sizes the sampler.
     *
     * @param totalSteps how many points {@link #add} will receive
     * @param maxPoints the most points kept, at least 2
     */
    CurveSampler(long totalSteps, int maxPoints) {
        int maxBuckets = Math.max(1, maxPoints / 2);
        this.bucketSize = Math.max(1, (totalSteps + maxBuckets - 1) / maxBuckets);
        int capacity = (int) Math.max(1, (totalSteps + bucketSize - 1) / bucketSize);
        this.low = new Point[capacity];
        this.high = new Point[capacity];
    }

    /**
     * Offers one step, in step order.
     *
     * @param step the step, from 0
     * @param lr its learning rate
     * @param momentum its momentum or beta1
     */
    void add(long step, double lr, double momentum) {
        int b = (int) (step / bucketSize);
        Point p = new Point(step, lr, momentum);
        if (b >= buckets) {
            buckets = b + 1;
            low[b] = p;
            high[b] = p;
        } else if (lr < low[b].lr()) {
            low[b] = p;
        } else if (lr > high[b].lr()) {
            high[b] = p;
        }
    }

    /** The kept points in step order: each bucket's low and high, once when they coincide. */
    private Point[] points() {
        Point[] out = new Point[2 * buckets];
        int n = 0;
        for (int b = 0; b < buckets; b++) {
            Point first = low[b].step() <= high[b].step() ? low[b] : high[b];
            Point second = first == low[b] ? high[b] : low[b];
            out[n++] = first;
            if (second.step() != first.step()) {
                out[n++] = second;
            }
        }
        return Arrays.copyOf(out, n);
    }

    double[] steps() {
        return Arrays.stream(points()).mapToDouble(Point::step).toArray();
    }

    double[] lr() {
        return Arrays.stream(points()).mapToDouble(Point::lr).toArray();
    }

    double[] momentum() {
        return Arrays.stream(points()).mapToDouble(Point::momentum).toArray();
    }
}
