package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import io.github.luzj.base.MemoryOrder;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * {@link LuzOptimizer#step()} updates a group's parameters concatenated; DJL's one-parameter
 * {@link LuzOptimizer#update} takes PyTorch's per-parameter path. Both must give the same floats,
 * bit for bit, whatever the shapes, hyperparameter changes, checkpoints and missing gradients.
 */
class FlatAdamTest {

    /**
     * Parameters to train and how their gradients look.
     *
     * @param sizes each parameter's number of elements
     * @param decades the gradients' magnitudes span this many powers of ten, from 1e-2 up
     * @param lowest the smallest power of ten a gradient's magnitude starts at
     * @param type the parameters' data type
     * @param kernel if not null, the first parameter is a convolution kernel of this shape,
     *     laid out channels-last as the fit loop creates kernels
     */
    private record Layout(int[] sizes, int decades, int lowest, DataType type, Shape kernel) {

        Layout(int[] sizes, int decades, int lowest, DataType type) {
            this(sizes, decades, lowest, type, null);
        }

        /** A parameter's gradient at a step: mixed signs and magnitudes, different every time. */
        float[] grad(int param, int step) {
            float[] g = new float[sizes[param]];
            for (int i = 0; i < g.length; i++) {
                double magnitude = Math.pow(10, (i + param) % decades + lowest);
                g[i] = (float) (Math.sin(1.3 * step + 0.7 * i + param) * magnitude);
            }
            return g;
        }

        float[] init(int param) {
            float[] w = new float[sizes[param]];
            for (int i = 0; i < w.length; i++) {
                w[i] = (float) Math.cos(0.9 * i - param) * (param + 1);
            }
            return w;
        }
    }

    /** Small parameters, gradients from 1e-2 to 10. */
    private static final Layout SMALL =
            new Layout(new int[] {6, 1, 12, 3, 40}, 4, -2, DataType.FLOAT32);

    /** The same in float64. */
    private static final Layout SMALL_DOUBLE =
            new Layout(SMALL.sizes(), 4, -2, DataType.FLOAT64);

    /**
     * Parameters larger than the engine's vector width and its split between threads (32,768
     * elements), with lengths that leave remainders, and gradients from 1e-30 to 1e20: squared
     * they go below float's normal range, to zero, and above it, to infinity.
     */
    private static final Layout LARGE_EXTREME =
            new Layout(new int[] {4099, 1, 33001, 37, 17}, 51, -30, DataType.FLOAT32);

    /** A channels-last kernel among 1-D parameters: its gradient is strided too. */
    private static final Layout CHANNELS_LAST =
            new Layout(new int[] {240, 5, 12}, 4, -2, DataType.FLOAT32, new Shape(4, 5, 3, 4));

    private static final int STEPS = 7;

    /**
     * Trains the layout's parameters, lr and beta1 moving every step; returns every
     * parameter's values after every step.
     *
     * @param flat which steps go through {@code step()}, the others through {@code update} per
     *     parameter
     * @param hasGrad which parameters get a gradient at a step (the others keep none)
     * @param checkpointAt a step after which the state is saved and loaded back, or -1
     */
    private static List<long[][]> train(
            OptimizerSpec spec,
            Layout layout,
            IntPredicate flat,
            IntPredicate[] hasGrad,
            int checkpointAt)
            throws IOException {
        List<long[][]> trace = new ArrayList<>();
        try (Params params = new Params()) {
            List<Parameter> ps = new ArrayList<>();
            for (int p = 0; p < layout.sizes().length; p++) {
                ps.add(
                        p == 0 && layout.kernel() != null
                                ? params.addChannelsLast("p0", layout.kernel(), layout.init(p))
                                : params.add("p" + p, layout.type(), layout.init(p)));
            }
            try (LuzOptimizer opt = spec.build(params.byName)) {
                ParamGroup group = opt.groups().get(0);
                for (int t = 0; t < STEPS; t++) {
                    group.setLr(0.01 * (1 + t));
                    group.setMomentum(0.95 - 0.02 * t);
                    Map<Parameter, float[]> grads = new LinkedHashMap<>();
                    for (int p = 0; p < ps.size(); p++) {
                        if (hasGrad[p].test(t)) {
                            grads.put(ps.get(p), layout.grad(p, t));
                        }
                    }
                    params.backward(grads);
                    if (flat.test(t)) {
                        opt.step();
                    } else {
                        // as step() does, and PyTorch: a parameter once reached keeps a (zeroed)
                        // gradient and is updated with it; one never reached has none
                        for (Parameter p : ps) {
                            NDArray w = p.getArray();
                            try (NDArray g = JniUtils.getGradient((PtNDArray) w)) {
                                if (g != null) {
                                    opt.update(p.getId(), w, g);
                                }
                            }
                        }
                    }
                    long[][] values = new long[ps.size()][];
                    for (int p = 0; p < ps.size(); p++) {
                        values[p] = bits(ps.get(p).getArray());
                    }
                    trace.add(values);
                    if (t == checkpointAt) {
                        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
                        opt.saveState(new DataOutputStream(bytes));
                        opt.loadState(
                                new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
                    }
                }
            }
        }
        return trace;
    }

    private static IntPredicate[] always() {
        IntPredicate[] all = new IntPredicate[SMALL.sizes().length];
        IntPredicate every = t -> true;
        Arrays.fill(all, every);
        return all;
    }

    private static void assertBitwiseEqual(OptimizerSpec spec, IntPredicate[] hasGrad, int checkpointAt)
            throws IOException {
        assertBitwiseEqual(spec, SMALL, t -> true, hasGrad, checkpointAt);
    }

    private static void assertBitwiseEqual(
            OptimizerSpec spec, IntPredicate flatSteps, IntPredicate[] hasGrad, int checkpointAt)
            throws IOException {
        assertBitwiseEqual(spec, SMALL, flatSteps, hasGrad, checkpointAt);
    }

    private static void assertBitwiseEqual(
            OptimizerSpec spec,
            Layout layout,
            IntPredicate flatSteps,
            IntPredicate[] hasGrad,
            int checkpointAt)
            throws IOException {
        List<long[][]> flat = train(spec, layout, flatSteps, hasGrad, checkpointAt);
        List<long[][]> single = train(spec, layout, t -> false, hasGrad, -1);
        for (int t = 0; t < STEPS; t++) {
            for (int p = 0; p < layout.sizes().length; p++) {
                long[] a = flat.get(t)[p];
                long[] b = single.get(t)[p];
                // the first element that differs, -1 for none (containsExactly is quadratic)
                assertThat(Arrays.mismatch(a, b))
                        .as("%s: parameter %d after step %d, first differing element", spec, p, t + 1)
                        .isEqualTo(-1);
            }
        }
        assertThat(flat.get(STEPS - 1)[0]).as("the weights moved").isNotEqualTo(flat.get(0)[0]);
    }

    /** Every value's bits, float32 or float64. */
    private static long[] bits(NDArray array) {
        if (array.getDataType() == DataType.FLOAT64) {
            return Arrays.stream(array.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
        }
        float[] values = array.toFloatArray();
        long[] bits = new long[values.length];
        for (int i = 0; i < values.length; i++) {
            bits[i] = Float.floatToRawIntBits(values[i]);
        }
        return bits;
    }

    @Test
    void adamConcatenatedEqualsPerParameterBitwise() throws IOException {
        assertBitwiseEqual(Optimizers.adam(), always(), -1);
    }

    @Test
    void adamWithL2WeightDecayConcatenatedEqualsPerParameterBitwise() throws IOException {
        assertBitwiseEqual(Optimizers.adam().weightDecay(0.01).eps(1e-6), always(), -1);
    }

    @Test
    void adamWConcatenatedEqualsPerParameterBitwise() throws IOException {
        assertBitwiseEqual(Optimizers.adamW().weightDecay(0.05), always(), -1);
    }

    @Test
    void largeParametersWithExtremeGradientsConcatenatedEqualPerParameterBitwise()
            throws IOException {
        assertBitwiseEqual(Optimizers.adam(), LARGE_EXTREME, t -> true, always(), -1);
        assertBitwiseEqual(
                Optimizers.adam().weightDecay(0.01).eps(1e-6),
                LARGE_EXTREME,
                t -> true,
                always(),
                -1);
        assertBitwiseEqual(
                Optimizers.adamW().weightDecay(0.05), LARGE_EXTREME, t -> true, always(), -1);
    }

    @Test
    void float64ParametersConcatenatedEqualPerParameterBitwise() throws IOException {
        assertBitwiseEqual(Optimizers.adam(), SMALL_DOUBLE, t -> true, always(), -1);
        assertBitwiseEqual(
                Optimizers.adamW().weightDecay(0.05), SMALL_DOUBLE, t -> true, always(), -1);
    }

    @Test
    void channelsLastKernelsConcatenatedEqualPerParameterBitwise() throws IOException {
        assertBitwiseEqual(Optimizers.adam(), CHANNELS_LAST, t -> true, always(), -1);
        assertBitwiseEqual(
                Optimizers.adam().weightDecay(0.01), CHANNELS_LAST, t -> true, always(), -1);
        assertBitwiseEqual(
                Optimizers.adamW().weightDecay(0.05), CHANNELS_LAST, t -> true, always(), -1);
    }

    @Test
    void aChannelsLastKernelsPartRunsInItsMemoryOrder() throws IOException {
        // per-parameter updates between the flat steps write through the strided views
        assertBitwiseEqual(Optimizers.adam(), CHANNELS_LAST, t -> t % 2 == 0, always(), 3);
        try (Params params = new Params()) {
            Parameter kernel =
                    params.addChannelsLast("k", CHANNELS_LAST.kernel(), CHANNELS_LAST.init(0));
            Parameter bias = params.add("b", CHANNELS_LAST.init(1));
            Map<Parameter, float[]> grads = new LinkedHashMap<>();
            grads.put(kernel, CHANNELS_LAST.grad(0, 0));
            grads.put(bias, CHANNELS_LAST.grad(1, 0));
            params.backward(grads);
            List<UpdateRule.Slot> slots = new ArrayList<>();
            for (Parameter p : grads.keySet()) {
                NDArray w = p.getArray();
                slots.add(new UpdateRule.Slot(new ParamState(), w, JniUtils.getGradient((PtNDArray) w)));
            }
            FlatMoments moments = FlatMoments.of(slots, a -> a);
            assertThat(MemoryOrder.channelsLast(slots.get(0).grad())).as("the gradient").isTrue();
            assertThat(MemoryOrder.channelsLast(slots.get(0).state().expAvg)).isTrue();
            assertThat(MemoryOrder.channelsLast(slots.get(0).state().expAvgSq)).isTrue();
            assertThat(MemoryOrder.channelsLast(moments.scratchView(0))).isTrue();
            float[] nhwc = slots.get(0).grad().transpose(0, 2, 3, 1).toFloatArray();
            float[] expected = Arrays.copyOf(nhwc, nhwc.length + CHANNELS_LAST.sizes()[1]);
            System.arraycopy(CHANNELS_LAST.grad(1, 0), 0, expected, nhwc.length, CHANNELS_LAST.sizes()[1]);
            assertThat(moments.concat(slots, true).toFloatArray()).containsExactly(expected);
        }
    }

    @Test
    void aCheckpointRestoredMidwayChangesNothing() throws IOException {
        assertBitwiseEqual(Optimizers.adam(), always(), 2);
    }

    @Test
    void parametersThatMissAGradientKeepTheirOwnStepCount() throws IOException {
        IntPredicate[] hasGrad = always();
        hasGrad[1] = t -> t >= 2; // reached by backward only from the third step on
        hasGrad[3] = t -> t != 4; // skipped once
        assertBitwiseEqual(Optimizers.adam(), hasGrad, -1);
    }

    @Test
    void perParameterUpdatesBetweenStepsWriteIntoTheConcatenation() throws IOException {
        // DJL's update changes a state's moments through its views; the next step() must see it
        assertBitwiseEqual(Optimizers.adam(), t -> t % 2 == 0, always(), -1);
    }
}
