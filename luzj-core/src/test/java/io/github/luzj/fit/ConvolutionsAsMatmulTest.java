package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.FitReadings;
import io.github.luzj.testing.Synthetic;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The chapter convnet's one-pixel head as a matrix product (the default) in a whole fit, with
 * batches channels-last and NCHW: the fit, {@code evaluate} and {@code predict} agree with the
 * switched-off fit within float rounding, and the weights do not match it bit for bit, which shows
 * that the switch reaches the training loop.
 */
class ConvolutionsAsMatmulTest {

    private static DataLoader loader(SampleDataset data, boolean shuffle) {
        return DataLoader.builder(data).batchSize(16).shuffle(shuffle).seed(3).workers(0).build();
    }

    /** The weights after the fit, the predictions, and the evaluated and last training loss. */
    private static float[][] fitAndRead(boolean matmul, boolean channelsLast, SampleDataset data, NDManager out) {
        SetupModel setup =
                // SGD, not Adam: Adam's first steps move a weight by lr whatever its gradient's
                // size, so a gradient of rounding size would decide a step of 1e-3
                Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), Optimizers.sgd().lr(0.05))
                        .device(Device.cpu())
                        .channelsLast(channelsLast)
                        .convolutionsAsMatmul(matmul);
        try (FittedModel fitted =
                setup.fit(FitOptions.builder(loader(data, true)).epochs(1).seed(5).verbose(false).build())) {
            return FitReadings.read(fitted, loader(data, false), out);
        }
    }

    @Test
    void aFitAgreesWithTheSwitchedOffFitWithinRoundingInEitherLayout() {
        SampleDataset data = Synthetic.randomImages(48, 1, 28, 10, 21);
        String[] what = {"weights after 3 steps", "predictions", "evaluate and train loss"};
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (boolean channelsLast : new boolean[] {true, false}) {
                float[][] on = fitAndRead(true, channelsLast, data, m);
                float[][] off = fitAndRead(false, channelsLast, data, m);
                for (int k = 0; k < what.length; k++) {
                    String as = what[k] + (channelsLast ? ", channels-last" : ", NCHW");
                    assertThat(on[k]).as(as).hasSameSizeAs(off[k]);
                    assertThat(FitReadings.worst(on[k], off[k])).as(as).isLessThan(1e-4);
                }
                // only training moves the weights: equal bits would mean it ran the convolution
                assertThat(Arrays.equals(on[0], off[0]))
                        .as("training ran the head as a matrix product (%s)", channelsLast ? "channels-last" : "NCHW")
                        .isFalse();
            }
        }
    }

    /** The NDArrays open in the whole engine: every manager descends from its root. */
    private static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    @Test
    void trainingEvaluatingAndPredictingAgainLeaveNoArrayBehind() {
        SampleDataset data = Synthetic.randomImages(32, 1, 28, 10, 22);
        try (FittedModel fitted =
                Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .device(Device.cpu())
                        .fit(FitOptions.builder(loader(data, true)).epochs(1).seed(5).verbose(false).build())) {
            int[] after = new int[3];
            for (int round = 0; round < after.length; round++) {
                // a training epoch (the head's kernel padded per batch), then inference (prepared once)
                fitted.fit(FitOptions.builder(loader(data, true)).epochs(1).seed(5).verbose(false).build());
                fitted.evaluate(loader(data, false));
                try (NDManager out = NDManager.newBaseManager(Device.cpu())) {
                    fitted.predict(loader(data, false), out);
                }
                after[round] = liveArrays();
            }
            assertThat(after[2]).as("open arrays after each round: %s", Arrays.toString(after)).isEqualTo(after[0]);
            assertThat(after[1]).isEqualTo(after[0]);
        }
    }

    @Test
    void onByDefaultAndKeptThroughTheOtherSwitches() {
        SetupModel setup =
                Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam());
        assertThat(setup.convolutionsAsMatmul()).isTrue();
        SetupModel off = setup.convolutionsAsMatmul(false);
        assertThat(off.foldBatchNorm(false).channelsLast(false).device(Device.cpu()).convolutionsAsMatmul())
                .isFalse();
        assertThat(off.foldBatchNorm()).as("the other switches keep theirs").isTrue();
        assertThat(off.channelsLast()).isTrue();
    }
}
