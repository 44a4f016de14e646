package io.github.luzj.testing;

import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/** Small seeded datasets for tests that need data but not real images. */
public final class Synthetic {

    private Synthetic() {}

    /**
     * A linearly separable classification problem: {@code features}-dimensional points whose class
     * is the index of their largest coordinate among the first {@code classes}.
     *
     * @param n examples
     * @param features dimensions, {@code >= classes}
     * @param classes classes
     * @param seed the seed
     * @return the dataset
     */
    public static SampleDataset argmaxClasses(int n, int features, int classes, long seed) {
        float[][] xs = new float[n][features];
        float[] ys = new float[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 0; j < features; j++) {
                xs[i][j] = (float) rng.nextGaussian();
                if (j < classes && xs[i][j] > xs[i][best]) {
                    best = j;
                }
            }
            ys[i] = best;
        }
        return of(xs, ys, features);
    }

    /**
     * Random images: {@code channels}×{@code side}×{@code side} pixels uniform in [0, 1), each
     * with a random class in [0, {@code classes}).
     *
     * @param n examples
     * @param channels channels
     * @param side height and width
     * @param classes classes
     * @param seed the seed
     * @return the dataset
     */
    public static SampleDataset randomImages(int n, int channels, int side, int classes, long seed) {
        SplittableRandom rng = new SplittableRandom(seed);
        float[][] xs = new float[n][channels * side * side];
        float[] ys = new float[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < xs[i].length; j++) {
                xs[i][j] = (float) rng.nextDouble();
            }
            ys[i] = rng.nextInt(classes);
        }
        return of(xs, ys, channels, side, side);
    }

    /** Examples {@code xs[i]} of shape {@code shape} with the scalar labels {@code ys[i]}. */
    private static SampleDataset of(float[][] xs, float[] ys, long... shape) {
        return of(xs.length, i -> new Sample(new FloatTensor(xs[i], shape), FloatTensor.scalar(ys[i])));
    }

    /**
     * A dataset of {@code size} examples that {@code sample} makes on each read: for tests of
     * datasets that fail, block or mix kinds of samples.
     *
     * @param size the number of examples
     * @param sample the example at an index
     * @return the dataset
     */
    public static SampleDataset of(int size, IntFunction<Sample> sample) {
        return new SampleDataset() {
            @Override
            public int size() {
                return size;
            }

            @Override
            public Sample get(int index) {
                return sample.apply(index);
            }
        };
    }
}
