package io.github.luzj.lrfinder;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.data.Sample;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * The finder's budget: 100 sweep steps, snapshot and restore included, may cost at most 5% more
 * than 100 plain training steps of the same model. A timing, so it runs only when asked, best on
 * a quiet machine with one engine thread:
 * {@code -Dluzj.bench=true -Dai.djl.pytorch.num_threads=1}. Rounds alternate and the fastest of
 * each kind is compared, since other processes only ever add time.
 */
@EnabledIfSystemProperty(named = "luzj.bench", matches = "true")
class LrFinderSpeedTest {

    private static final int STEPS = 100;
    private static final int BATCH = 64;

    /** An MNIST-sized convnet: two conv-BatchNorm-relu-pool stages and two linear layers. */
    private static Block convnet() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(16).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(32).build())
                .add(BatchNorm.builder().build())
                .add(Activation::relu)
                .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(64).build())
                .add(Activation::relu)
                .add(Linear.builder().setUnits(10).build());
    }

    private static DataLoader mnistSized() {
        int n = STEPS * BATCH;
        SplittableRandom rng = new SplittableRandom(5);
        Sample[] samples = new Sample[n];
        for (int i = 0; i < n; i++) {
            float[] x = new float[28 * 28];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) rng.nextDouble();
            }
            samples[i] = new Sample(new FloatTensor(x, new long[] {1, 28, 28}), FloatTensor.scalar(i % 10));
        }
        SampleDataset ds = new SampleDataset() {
            @Override
            public int size() {
                return n;
            }

            @Override
            public Sample get(int index) {
                return samples[index];
            }
        };
        return DataLoader.builder(ds).batchSize(BATCH).shuffle(true).build();
    }

    @Test
    void hundredSweepStepsCostAtMostFivePercentMoreThanHundredTrainingSteps() {
        DataLoader data = mnistSized();
        LrFinder finder = LrFinder.builder().startLr(1e-4).endLr(0.3).steps(STEPS).build();
        FitOptions oneEpoch = FitOptions.builder(data).epochs(1).verbose(false).build();
        try (FittedModel fitted =
                Luz.setup(convnet(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .device(Device.cpu())
                        .fit(oneEpoch)) { // also the warm-up
            int rounds = 7;
            double[] plain = new double[rounds];
            double[] sweep = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                long t0 = System.nanoTime();
                fitted.fit(oneEpoch);
                long t1 = System.nanoTime();
                finder.run(fitted, data);
                long t2 = System.nanoTime();
                plain[i] = (t1 - t0) / 1e9;
                sweep[i] = (t2 - t1) / 1e9;
            }
            double p = Arrays.stream(plain).min().orElseThrow();
            double s = Arrays.stream(sweep).min().orElseThrow();
            long t3 = System.nanoTime();
            try (ParameterSnapshot snap =
                    ParameterSnapshot.take(fitted.block(), fitted.model().getNDManager())) {
                snap.restore();
            }
            double copy = (System.nanoTime() - t3) / 1e9;
            System.out.printf(
                    Locale.ROOT,
                    "100 training steps: %.3f s (fastest of %s), 100 sweep steps: %.3f s (fastest"
                            + " of %s), ratio %.3f; snapshot + restore alone %.4f s%n",
                    p, Arrays.toString(plain), s, Arrays.toString(sweep), s / p, copy);
            assertThat(s / p).isLessThanOrEqualTo(1.05);
        }
    }
}
