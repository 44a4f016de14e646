package io.github.luzj.callbacks;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.callback.Callback;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import java.util.SplittableRandom;

/** Small seeded data and networks for fits that take well under a second. */
final class Fixtures {

    private Fixtures() {}

    /** {@code n} points in 4 dimensions whose class is the largest of the first 3 coordinates. */
    static SampleDataset classes(int n, long seed) {
        float[][] xs = new float[n][4];
        float[] ys = new float[n];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            int best = 0;
            for (int j = 0; j < 4; j++) {
                xs[i][j] = (float) rng.nextGaussian();
                if (j < 3 && xs[i][j] > xs[i][best]) {
                    best = j;
                }
            }
            ys[i] = best;
        }
        return dataset(xs, i -> FloatTensor.scalar(ys[i]));
    }

    /** {@code n} points of {@code y = 0.5 x0 - 0.25 x1 + x2}, without noise. */
    static SampleDataset regression(int n, long seed) {
        float[][] xs = new float[n][3];
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < 3; j++) {
                xs[i][j] = (float) rng.nextGaussian();
            }
        }
        return dataset(xs, i -> new FloatTensor(
                new float[] {0.5f * xs[i][0] - 0.25f * xs[i][1] + xs[i][2]}, new long[] {1}));
    }

    private static SampleDataset dataset(
            float[][] xs, java.util.function.IntFunction<FloatTensor> label) {
        return new SampleDataset() {
            @Override
            public int size() {
                return xs.length;
            }

            @Override
            public Sample get(int i) {
                return new Sample(
                        new FloatTensor(xs[i], new long[] {xs[i].length}), label.apply(i));
            }
        };
    }

    static DataLoader loader(SampleDataset ds, int batchSize, boolean shuffle) {
        return DataLoader.builder(ds).batchSize(batchSize).shuffle(shuffle).seed(5).workers(0)
                .build();
    }

    /** 40 training points in 5 shuffled batches of 8. */
    static DataLoader trainClasses() {
        return loader(classes(40, 11), 8, true);
    }

    /** 16 validation points in 2 batches. */
    static DataLoader validClasses() {
        return loader(classes(16, 12), 8, false);
    }

    /** Linear, BatchNorm, ReLU, Linear: 3 classes. */
    static SetupModel classifier(OptimizerSpec optimizer) {
        SequentialBlock net = new SequentialBlock()
                .add(Linear.builder().setUnits(8).build())
                .add(BatchNorm.builder().build())
                .add(Activation.reluBlock())
                .add(Linear.builder().setUnits(3).build());
        return Luz.setup(net, Loss.softmaxCrossEntropyLoss(), optimizer);
    }

    static SetupModel classifier() {
        return classifier(Optimizers.adam().lr(0.01));
    }

    /** One linear unit under the L2 loss. */
    static SetupModel linear(OptimizerSpec optimizer) {
        return Luz.setup(Linear.builder().setUnits(1).build(), Loss.l2Loss(), optimizer);
    }

    /** Fits quietly on the classification data. */
    static FittedModel fitClasses(SetupModel setup, int epochs, boolean valid, Callback... cbs) {
        return setup.fit(FitOptions.builder(trainClasses())
                .valid(valid ? validClasses() : null)
                .epochs(epochs)
                .verbose(false)
                .callbacks(cbs)
                .build());
    }

    /** Every parameter of the block, BatchNorm statistics included, in order, flattened. */
    static float[][] parameters(ai.djl.nn.Block block) {
        return block.getParameters().stream()
                .map(p -> p.getValue().getArray().toFloatArray())
                .toArray(float[][]::new);
    }

    /**
     * Counts the arrays the model's manager holds (recursively) at every training batch's
     * beginning; after the first step (the optimizer's state) the count must stay flat.
     */
    static Callback arrayCounter(java.util.List<Integer> counts) {
        return io.github.luzj.callback.Callback.on(
                io.github.luzj.callback.Phase.TRAIN_BATCH_BEGIN,
                ctx -> counts.add(ctx.model().getNDManager().getManagedArrays().size()));
    }

    /** Asserts that {@code counts} are all equal from the second batch on. */
    static void assertFlat(java.util.List<Integer> counts) {
        org.assertj.core.api.Assertions.assertThat(counts.subList(1, counts.size()))
                .as("arrays held at each batch's beginning")
                .containsOnly(counts.get(1));
    }
}
