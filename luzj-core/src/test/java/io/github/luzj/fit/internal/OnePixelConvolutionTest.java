package io.github.luzj.fit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.GradientCollector;
import ai.djl.training.loss.Loss;
import ai.djl.util.Pair;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A convolution whose output is one pixel, run as a matrix product, gives the convolution's
 * output and gradients within float rounding, in either memory order; other shapes are left to
 * the convolution; and the training pass rewrites exactly the chapter convnet's head.
 */
class OnePixelConvolutionTest {

    /** Values and gradients of one route: output, then the input's, kernel's and bias's gradients. */
    private record Grads(float[] y, float[] dx, float[] dw, float[] db) {}

    private static NDArray nhwc(NDArray a) {
        // NCHW shape over NHWC memory, as the fit's staging hands batches over
        return a.transpose(0, 2, 3, 1).duplicate().transpose(0, 3, 1, 2);
    }

    private static Grads route(
            NDManager m, Shape input, Shape kernel, Shape stride, boolean bias, boolean nhwc, boolean matmul) {
        Engine.getInstance().setRandomSeed(3);
        NDArray x = m.randomUniform(-1, 1, input);
        NDArray w = m.randomUniform(-1, 1, kernel);
        NDArray b = bias ? m.randomUniform(-1, 1, new Shape(kernel.get(0))) : null;
        NDArray target = m.randomUniform(-1, 1, new Shape(input.get(0), kernel.get(0), 1, 1));
        if (nhwc) {
            x = nhwc(x);
            w = nhwc(w);
        }
        for (NDArray a : bias ? new NDArray[] {x, w, b} : new NDArray[] {x, w}) {
            a.setRequiresGradient(true);
        }
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray y =
                    matmul
                            ? OnePixelConvolution.apply(x, w, b, stride, nhwc)
                            : Conv2d.conv2d(x, w, b, stride, new Shape(0, 0), new Shape(1, 1), 1).head();
            assertThat(y).as("one pixel").isNotNull();
            gc.backward(y.mul(target).sum());
            return new Grads(
                    y.toFloatArray(),
                    x.getGradient().toFloatArray(),
                    w.getGradient().toFloatArray(),
                    bias ? b.getGradient().toFloatArray() : new float[0]);
        }
    }

    private static void assertClose(float[] actual, float[] expected, String what) {
        assertThat(actual).as(what).hasSameSizeAs(expected);
        double scale = 0;
        for (float v : expected) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < expected.length; i++) {
            assertThat((double) Math.abs(actual[i] - expected[i]))
                    .as("%s[%d]: matmul %s, convolution %s", what, i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-5 * (Math.abs(expected[i]) + scale));
        }
    }

    @Test
    void outputsAndGradientsAreTheConvolutionsInEitherMemoryOrder() {
        // the chapter's head (4x4 map, 3x3 kernel, stride 2), a kernel the size of the map, and
        // strides that differ by axis over a map that is not square
        Object[][] cases = {
            {new Shape(5, 6, 4, 4), new Shape(3, 6, 3, 3), new Shape(2, 2)},
            {new Shape(5, 6, 3, 3), new Shape(3, 6, 3, 3), new Shape(1, 1)},
            {new Shape(5, 2, 5, 4), new Shape(4, 2, 3, 2), new Shape(3, 3)},
        };
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (Object[] c : cases) {
                for (boolean nhwc : new boolean[] {true, false}) {
                    for (boolean bias : new boolean[] {true, false}) {
                        Shape in = (Shape) c[0];
                        Shape k = (Shape) c[1];
                        Shape s = (Shape) c[2];
                        String what = in + " * " + k + " stride " + s + (nhwc ? " nhwc" : " nchw")
                                + (bias ? " bias" : "");
                        Grads conv = route(m, in, k, s, bias, nhwc, false);
                        Grads matmul = route(m, in, k, s, bias, nhwc, true);
                        assertClose(matmul.y, conv.y, what + " output");
                        assertClose(matmul.dx, conv.dx, what + " input gradient");
                        assertClose(matmul.dw, conv.dw, what + " kernel gradient");
                        assertClose(matmul.db, conv.db, what + " bias gradient");
                    }
                }
            }
        }
    }

    @Test
    void aLargerOutputOrAKernelLargerThanTheInputIsLeftToTheConvolution() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            NDArray w = m.ones(new Shape(2, 3, 3, 3));
            // 5x5 at stride 2 gives 2x2; 3x3 at stride 1 over 4x4 gives 2x2; 2x2 is smaller than the kernel
            for (Shape[] c : new Shape[][] {
                {new Shape(1, 3, 5, 5), new Shape(2, 2)},
                {new Shape(1, 3, 4, 4), new Shape(1, 1)},
                {new Shape(1, 3, 2, 2), new Shape(1, 1)},
            }) {
                assertThat(OnePixelConvolution.apply(m.ones(c[0]), w, null, c[1], false))
                        .as("%s at stride %s", c[0], c[1])
                        .isNull();
            }
        }
    }

    @Test
    void onlyAPlainDjlConvolutionInitializedForOnePixelQualifies() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Shape head = new Shape(2, 6, 4, 4);
            assertThat(OnePixelConvolution.fits(initialized(conv(0, 1, 1).build(), m, head))).isTrue();
            assertThat(OnePixelConvolution.fits(conv(0, 1, 1).build())).as("not initialized").isFalse();
            assertThat(OnePixelConvolution.fits(initialized(conv(0, 1, 1).build(), m, new Shape(2, 6, 6, 6))))
                    .as("a 2x2 output")
                    .isFalse();
            assertThat(OnePixelConvolution.fits(initialized(conv(1, 1, 1).build(), m, new Shape(2, 6, 2, 2))))
                    .as("padded")
                    .isFalse();
            assertThat(OnePixelConvolution.fits(initialized(conv(0, 2, 1).build(), m, new Shape(2, 6, 5, 5))))
                    .as("dilated")
                    .isFalse();
            assertThat(OnePixelConvolution.fits(initialized(conv(0, 1, 2).build(), m, head)))
                    .as("grouped")
                    .isFalse();
            Conv2d subclass = new Conv2d(conv(0, 1, 1)) {};
            assertThat(OnePixelConvolution.fits(initialized(subclass, m, head))).as("a subclass").isFalse();
        }
    }

    @Test
    void aPreparedKernelGivesTheSameBitsAsOneMadePerBatchAndOnlyForItsShape() {
        try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
            for (boolean nhwc : new boolean[] {true, false}) {
                Conv2d conv = initialized(conv(0, 1, 1).build(), m, new Shape(2, 6, 4, 4));
                NDArray w = m.randomUniform(-1, 1, new Shape(4, 6, 3, 3));
                NDArray b = m.randomUniform(-1, 1, new Shape(4));
                NDArray x = m.randomUniform(-1, 1, new Shape(5, 6, 4, 4));
                if (nhwc) {
                    w = nhwc(w);
                    x = nhwc(x);
                }
                OnePixelConvolution.Prepared head = OnePixelConvolution.prepare(conv, w, b, nhwc, m);
                assertThat(head).isNotNull();
                float[] perBatch = OnePixelConvolution.apply(x, w, b, conv.getStride(), nhwc).toFloatArray();
                assertThat(head.apply(x).toFloatArray()).as(nhwc ? "nhwc" : "nchw").isEqualTo(perBatch);
                assertThat(head.apply(m.ones(new Shape(5, 6, 5, 5)))).as("another map size").isNull();
            }
            Conv2d padded = initialized(conv(1, 1, 1).build(), m, new Shape(2, 6, 2, 2));
            assertThat(OnePixelConvolution.prepare(padded, m.ones(new Shape(4, 6, 3, 3)), null, true, m)).isNull();
        }
    }

    @Test
    void aBatchsProductLeavesNothingInTheKernelsManager() {
        try (NDManager model = NDManager.newBaseManager(Device.cpu())) {
            for (boolean nhwc : new boolean[] {true, false}) {
                for (Shape input : new Shape[] {new Shape(3, 6, 4, 4), new Shape(3, 6, 3, 3)}) {
                    NDArray w = model.randomUniform(-1, 1, new Shape(4, 6, 3, 3));
                    NDArray b = model.randomUniform(-1, 1, new Shape(4));
                    w = nhwc ? nhwc(w) : w;
                    int before = model.getManagedArrays().size();
                    try (NDManager batch = model.newSubManager()) {
                        NDArray x = batch.randomUniform(-1, 1, input);
                        NDArray y = OnePixelConvolution.apply(nhwc ? nhwc(x) : x, w, b, new Shape(2, 2), nhwc);
                        assertThat(y).isNotNull();
                    }
                    // what a batch makes dies with the batch: the model's manager holds what it held
                    assertThat(model.getManagedArrays().size())
                            .as("%s %s", input, nhwc ? "nhwc" : "nchw")
                            .isEqualTo(before);
                }
            }
        }
    }

    private static Conv2d.Builder conv(int padding, int dilation, int groups) {
        return Conv2d.builder()
                .setKernelShape(new Shape(3, 3))
                .setFilters(4)
                .optStride(new Shape(2, 2))
                .optPadding(new Shape(padding, padding))
                .optDilation(new Shape(dilation, dilation))
                .optGroups(groups);
    }

    private static Conv2d initialized(Conv2d conv, NDManager m, Shape input) {
        conv.initialize(m, DataType.FLOAT32, input);
        return conv;
    }

    /** The training pass's output and every parameter's gradient, on one random batch. */
    private static List<float[]> trainingPass(boolean matmul, int[] rewritten) {
        Recipe recipe =
                new Recipe(
                        Loss.softmaxCrossEntropyLoss(), Optimizers.adam(), List.of(), Device.cpu(), true, true, matmul);
        Engine.getInstance().setRandomSeed(11);
        Block block = ChapterConvNet.withBatchNorm();
        Model model = Model.newInstance("one-pixel");
        model.setBlock(block);
        try (Session session = new Session(model, recipe);
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            session.prepare(new Shape(8, 1, 28, 28));
            NDArray x = nhwc(m.randomUniform(0, 1, new Shape(8, 1, 28, 28)));
            ForwardPass pass = ForwardPass.training(session);
            rewritten[0] = pass.matmulConvolutions();
            List<float[]> out = new ArrayList<>();
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray y = pass.forward(new NDList(x)).head();
                out.add(y.toFloatArray());
                gc.backward(y.mul(y).sum());
            }
            if (!matmul) {
                // switched off, the pass is the block's own: batch statistics make it repeatable
                float[] own = block.forward(session.parameterStore(), new NDList(x), true).head().toFloatArray();
                assertThat(own).as("the block's own training forward").isEqualTo(out.get(0));
            }
            for (Pair<String, Parameter> p : block.getParameters()) {
                if (p.getValue().requiresGradient()) {
                    out.add(p.getValue().getArray().getGradient().toFloatArray());
                }
            }
            return out;
        }
    }

    @Test
    void theTrainingPassRunsTheChapterConvnetsHeadAsAMatrixProductAndSwitchedOffIsTheBlocksOwn() {
        int[] rewritten = new int[1];
        List<float[]> matmul = trainingPass(true, rewritten);
        assertThat(rewritten[0]).as("only the last convolution gives one pixel").isEqualTo(1);
        List<float[]> own = trainingPass(false, rewritten);
        assertThat(rewritten[0]).isZero();
        assertThat(matmul).hasSameSizeAs(own);
        boolean bitForBit = true;
        for (int i = 0; i < own.size(); i++) {
            assertClose(matmul.get(i), own.get(i), i == 0 ? "output" : "gradient " + i);
            for (int j = 0; j < own.get(i).length; j++) {
                bitForBit &= Float.floatToIntBits(matmul.get(i)[j]) == Float.floatToIntBits(own.get(i)[j]);
            }
        }
        // the same numbers by another route: the convolution itself would match bit for bit
        assertThat(bitForBit).as("the head ran as a matrix product").isFalse();
    }
}
