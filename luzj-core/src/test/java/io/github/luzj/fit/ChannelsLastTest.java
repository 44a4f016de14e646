package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.base.MemoryOrder;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.FitReadings;
import io.github.luzj.testing.Synthetic;
import org.junit.jupiter.api.Test;

/** Channels-last staging (the default) trains to the same numbers as NCHW, within rounding. */
class ChannelsLastTest {

    private static final int CHANNELS = 3;
    private static final int SIDE = 8;

    private static SampleDataset images(int n, long seed) {
        return Synthetic.randomImages(n, CHANNELS, SIDE, 4, seed);
    }

    private static SequentialBlock net() {
        return new SequentialBlock()
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).setFilters(8).build())
                .add(Activation::relu)
                .add(BatchNorm.builder().build())
                .add(Conv2d.builder().setKernelShape(new Shape(3, 3)).optStride(new Shape(2, 2)).setFilters(8).build())
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(4).build());
    }

    private static DataLoader loader(SampleDataset data) {
        return DataLoader.builder(data).batchSize(16).shuffle(true).seed(3).workers(0).build();
    }

    private static float[][] fitAndRead(boolean channelsLast, SampleDataset data, NDManager out) {
        SetupModel setup =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.01))
                        .device(Device.cpu())
                        .channelsLast(channelsLast);
        try (FittedModel fitted =
                setup.fit(FitOptions.builder(loader(data)).epochs(2).seed(5).verbose(false).build())) {
            return FitReadings.read(fitted, loader(data), out);
        }
    }

    @Test
    void fitEvaluateAndPredictAgreeWithNchwWithinRounding() {
        SampleDataset data = images(64, 11);
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            float[][] last = fitAndRead(true, data, m);
            float[][] first = fitAndRead(false, data, m);
            String[] what = {"weights after 2 epochs", "predictions", "evaluate and train loss"};
            for (int k = 0; k < what.length; k++) {
                assertThat(last[k]).as(what[k]).hasSameSizeAs(first[k]);
                assertThat(FitReadings.worst(last[k], first[k])).as(what[k]).isLessThan(1e-4);
            }
        }
    }

    @Test
    void theSetupSwitchDecidesTheLayoutTheFitStages() {
        SetupModel setup = Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam());
        assertThat(setup.channelsLast()).as("on by default").isTrue();
        assertThat(setup.channelsLast(false).device(Device.cpu()).channelsLast())
                .as("kept through device()")
                .isFalse();
        for (boolean on : new boolean[] {true, false}) {
            float[] change = {Float.NaN};
            Callback probe =
                    Callback.on(
                            Phase.TRAIN_BATCH_BEGIN,
                            ctx -> {
                                NDArray x = ctx.input().head();
                                float before = x.sum().getFloat();
                                // reshape is a view of a contiguous (NCHW) array and a copy of a
                                // channels-last one
                                x.reshape(-1).addi(1);
                                change[0] = x.sum().getFloat() - before;
                            });
            SetupModel layout =
                    Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                            .channelsLast(on);
            try (FittedModel ignored =
                    layout.fit(
                            FitOptions.builder(loader(images(2, 3)))
                                    .epochs(1)
                                    .verbose(false)
                                    .callbacks(probe)
                                    .build())) {
                assertThat(change[0])
                        .as("channelsLast(%s)", on)
                        .isCloseTo(on ? 0f : 2 * CHANNELS * SIDE * SIDE, within(0.01f));
            }
        }
    }

    @Test
    void theSwitchAlsoDecidesTheLayoutOfTheKernelsFitCreates() {
        for (boolean on : new boolean[] {true, false}) {
            SequentialBlock block = net();
            try (FittedModel ignored =
                    Luz.setup(block, Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                            .channelsLast(on)
                            .fit(FitOptions.builder(loader(images(4, 3))).epochs(1).verbose(false).build())) {
                int kernels = 0;
                for (var p : block.getParameters()) {
                    NDArray w = p.getValue().getArray();
                    if (w.getShape().dimension() == 4) {
                        kernels++;
                        assertThat(MemoryOrder.channelsLast(w))
                                .as("%s with channelsLast(%s), after training", p.getKey(), on)
                                .isEqualTo(on);
                    }
                }
                assertThat(kernels).isEqualTo(2);
            }
        }
    }
}
