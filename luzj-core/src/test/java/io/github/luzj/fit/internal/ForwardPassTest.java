package io.github.luzj.fit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Batch norm folded into convolutions gives the unfolded block's outputs within float rounding,
 * folds exactly the pairs it may, and leaves the others running as they are.
 */
class ForwardPassTest {

    /** What one pass gave: its output, the unfolded block's output, and the pairs it folded. */
    private record Run(float[] folded, float[] plain, int fusedPairs) {}

    private static Conv2d conv(int filters, int padding, int groups, boolean bias) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(filters)
                .optPadding(new Shape(padding, padding))
                .optGroups(groups)
                .optBias(bias)
                .build();
    }

    private static BatchNorm norm() {
        return BatchNorm.builder().optEpsilon(1e-5f).build();
    }

    /**
     * Initializes {@code block} for {@code input}, gives every parameter random values (running
     * variances positive), so that no batch norm is the identity, and runs the pass folded (as
     * {@code fold} says) and unfolded on the same random batch.
     */
    private static Run run(Block block, Shape input, boolean fold) {
        return run(block, input, fold, true);
    }

    private static Run run(Block block, Shape input, boolean fold, boolean channelsLast) {
        return run(block, input, fold, channelsLast, true);
    }

    private static Run run(
            Block block, Shape input, boolean fold, boolean channelsLast, boolean matmul) {
        Recipe recipe =
                new Recipe(
                        Loss.softmaxCrossEntropyLoss(),
                        Optimizers.adam(),
                        List.of(),
                        Device.cpu(),
                        channelsLast,
                        fold,
                        matmul);
        Model model = Model.newInstance("fold");
        model.setBlock(block);
        try (Session session = new Session(model, recipe);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            session.prepareForInference(input);
            SplittableRandom rng = new SplittableRandom(7);
            for (Pair<String, Parameter> p : block.getParameters()) {
                NDArray array = p.getValue().getArray();
                float[] values = new float[(int) array.size()];
                boolean variance = p.getKey().endsWith("runningVar");
                for (int i = 0; i < values.length; i++) {
                    values[i] = (float) (variance ? rng.nextDouble(0.2, 2) : rng.nextDouble(-1, 1));
                }
                array.set(values);
            }
            NDArray x = m.randomUniform(-1, 1, input);
            try (ForwardPass forward = ForwardPass.inference(session, m)) {
                float[] folded = forward.forward(new NDList(x)).head().toFloatArray();
                float[] plain =
                        block.forward(session.parameterStore(), new NDList(x), false)
                                .head()
                                .toFloatArray();
                return new Run(folded, plain, forward.fusedPairs());
            }
        }
    }

    /** |folded - plain| within 1e-5 relative plus 1e-5 of the output's scale, everywhere. */
    private static void assertAgree(Run run) {
        assertThat(run.folded).hasSameSizeAs(run.plain);
        double scale = 0;
        for (float v : run.plain) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < run.plain.length; i++) {
            double tolerance = 1e-5 * Math.abs(run.plain[i]) + 1e-5 * scale;
            assertThat((double) Math.abs(run.folded[i] - run.plain[i]))
                    .as("output %d: folded %s, unfolded %s", i, run.folded[i], run.plain[i])
                    .isLessThanOrEqualTo(tolerance);
        }
    }

    @Test
    void theChaptersConvnetFoldsEachOfItsFourBatchNormsIntoTheNextConvolution() {
        // conv, ReLU, BN, conv, ...: every BN is followed by an unpadded convolution
        Run run = run(ChapterConvNet.withBatchNorm(), new Shape(4, 1, 28, 28), true);
        assertThat(run.fusedPairs).isEqualTo(4);
        assertAgree(run);
    }

    @Test
    void withNchwStagingTheFoldedKernelsAgreeToo() {
        // channels-last staging gets its folded kernels copied channels-last; NCHW keeps them
        Run run = run(ChapterConvNet.withBatchNorm(), new Shape(4, 1, 28, 28), true, false);
        assertThat(run.fusedPairs).isEqualTo(4);
        assertAgree(run);
    }

    @Test
    void aConvolutionWithPaddingAndNoBiasTakesTheBatchNormAfterIt() {
        Block block =
                new SequentialBlock().add(conv(6, 1, 1, false)).add(norm()).add(Activation.reluBlock());
        Run run = run(block, new Shape(3, 2, 7, 7), true);
        assertThat(run.fusedPairs).isEqualTo(1);
        assertAgree(run);
    }

    @Test
    void aGroupedConvolutionTakesTheBatchNormAfterItButNotTheOneBeforeIt() {
        Block after = new SequentialBlock().add(conv(6, 0, 2, true)).add(norm());
        Run folded = run(after, new Shape(2, 4, 6, 6), true);
        assertThat(folded.fusedPairs).isEqualTo(1);
        assertAgree(folded);

        Block before = new SequentialBlock().add(norm()).add(conv(6, 0, 2, true));
        Run left = run(before, new Shape(2, 4, 6, 6), true);
        assertThat(left.fusedPairs).as("BN before a grouped convolution").isZero();
        assertThat(left.folded).isEqualTo(left.plain);
    }

    @Test
    void aBatchNormBeforeAPaddedConvolutionStaysUnfolded() {
        // the padding's zeros are not shifted by the batch norm, so folding it would be wrong
        Block block = new SequentialBlock().add(norm()).add(conv(5, 1, 1, true));
        Run run = run(block, new Shape(2, 3, 6, 6), true);
        assertThat(run.fusedPairs).isZero();
        assertThat(run.folded).isEqualTo(run.plain);
    }

    @Test
    void nestedSequencesAreWalkedAndOtherBlocksRunAsTheyAre() {
        Block block =
                new SequentialBlock()
                        .add(new SequentialBlock().add(conv(4, 1, 1, true)).add(norm()))
                        .add(Activation::relu)
                        .add(new SequentialBlock().add(norm()).add(conv(6, 0, 1, true)))
                        .add(x -> new NDList(x.head().mul(2)));
        Run run = run(block, new Shape(2, 3, 8, 8), true);
        assertThat(run.fusedPairs).isEqualTo(2);
        assertAgree(run);
    }

    @Test
    void aBatchNormOverAnotherAxisIsNotFolded() {
        // axis 3 normalizes columns, not the convolution's channels (6 of each here)
        Block block =
                new SequentialBlock()
                        .add(conv(6, 1, 1, true))
                        .add(BatchNorm.builder().optAxis(3).build());
        Run run = run(block, new Shape(2, 3, 6, 6), true);
        assertThat(run.fusedPairs).isZero();
        assertThat(run.folded).isEqualTo(run.plain);
    }

    @Test
    void unfoldedTheOnePixelHeadStillRunsAsAMatrixProductWithinRounding() {
        Run run = run(ChapterConvNet.withBatchNorm(), new Shape(4, 1, 28, 28), false, true, true);
        assertThat(run.fusedPairs).isZero();
        assertAgree(run);
        assertThat(run.folded).as("the head ran as a matrix product").isNotEqualTo(run.plain);
    }

    @Test
    void switchedOffTheBlockRunsAsItIs() {
        Run run = run(ChapterConvNet.withBatchNorm(), new Shape(4, 1, 28, 28), false, true, false);
        assertThat(run.fusedPairs).isZero();
        assertThat(run.folded).isEqualTo(run.plain);
    }
}
