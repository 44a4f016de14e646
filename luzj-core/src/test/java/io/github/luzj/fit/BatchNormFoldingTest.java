package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.ChannelsLastWeights;
import io.github.luzj.data.DataLoader;
import io.github.luzj.data.SampleDataset;
import io.github.luzj.metric.Metrics;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.Synthetic;
import io.github.luzj.vision.models.ChapterConvNet;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Batch norm folded into the convolutions (the default) at validation, {@code evaluate} and
 * {@code predict}: the chapter's convnet, trained for a few steps so that its running statistics
 * and affine parameters are its own, gives the unfolded network's predictions and metrics within
 * float rounding, and {@code foldBatchNorm(false)} gives them bit for bit. One-pixel convolutions
 * as matrix products are off in these fits, so that folding is all that differs.
 */
class BatchNormFoldingTest {

    private static SampleDataset digits(int n, long seed) {
        return Synthetic.randomImages(n, 1, 28, 10, seed);
    }

    private static DataLoader loader(SampleDataset data, boolean shuffle) {
        return DataLoader.builder(data).batchSize(16).shuffle(shuffle).seed(3).workers(0).build();
    }

    /** The worst difference between a pass's predictions and the unfolded block's, per batch. */
    private static final class Comparison {
        double worst;
        boolean bitForBit = true;
        int batches;

        Callback callback() {
            return Callback.on(Phase.VALID_BATCH_AFTER_PRED, this::compare, Phase.PREDICT_BATCH_END);
        }

        void compare(Context ctx) {
            NDList plain =
                    ctx.model()
                            .getBlock()
                            .forward(new ParameterStore(ctx.batchManager(), false), ctx.input(), false);
            float[] expected = plain.head().toFloatArray();
            float[] actual = ctx.pred().head().toFloatArray();
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.length; i++) {
                worst = Math.max(worst, Math.abs(actual[i] - expected[i]) / (1 + Math.abs(expected[i])));
                bitForBit &= Float.floatToIntBits(actual[i]) == Float.floatToIntBits(expected[i]);
            }
            batches++;
        }
    }

    private record Outcome(Map<String, Double> evaluated, Comparison validation, Comparison rest) {}

    private static Outcome fitAndCompare(boolean fold) {
        SampleDataset train = digits(32, 11);
        SampleDataset valid = digits(32, 12);
        SetupModel setup =
                Luz.setup(
                                ChapterConvNet.withBatchNorm(),
                                Loss.softmaxCrossEntropyLoss(),
                                Optimizers.adam().lr(0.01),
                                Metrics.accuracy())
                        .device(Device.cpu())
                        .foldBatchNorm(fold)
                        .convolutionsAsMatmul(false);
        Comparison validation = new Comparison();
        Comparison rest = new Comparison();
        try (FittedModel fitted =
                        setup.fit(
                                FitOptions.builder(loader(train, true))
                                        .valid(loader(valid, false))
                                        .epochs(2)
                                        .seed(5)
                                        .verbose(false)
                                        .callbacks(validation.callback())
                                        .build());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Map<String, Double> evaluated = fitted.evaluate(loader(valid, false), rest.callback());
            NDArray predicted = fitted.predict(loader(valid, false), m, rest.callback());
            assertThat(predicted.getShape().get(0)).isEqualTo(32);
            return new Outcome(evaluated, validation, rest);
        }
    }

    @Test
    void foldedPassesGiveTheUnfoldedNetworksOutputsAndSwitchedOffTheBlocksOwn() {
        Outcome folded = fitAndCompare(true);
        assertThat(folded.validation.batches).as("validation batches compared").isEqualTo(4);
        assertThat(folded.rest.batches).as("evaluate and predict batches compared").isEqualTo(4);
        for (Comparison c : new Comparison[] {folded.validation, folded.rest}) {
            assertThat(c.worst).isLessThan(1e-5);
            // the same numbers by another route: a pass that did not fold would match bit for bit
            assertThat(c.bitForBit).as("outputs came from the folded pass").isFalse();
        }

        Outcome unfolded = fitAndCompare(false);
        for (Comparison c : new Comparison[] {unfolded.validation, unfolded.rest}) {
            assertThat(c.bitForBit).as("foldBatchNorm(false) runs the block's own pass").isTrue();
        }
        // folding only changes passes that do not train: the same fit evaluates the same
        assertThat(folded.evaluated.keySet()).isEqualTo(unfolded.evaluated.keySet());
        for (String metric : unfolded.evaluated.keySet()) {
            assertThat(folded.evaluated.get(metric))
                    .as(metric)
                    .isCloseTo(unfolded.evaluated.get(metric), within(1e-5));
        }
    }

    @Test
    void foldingIsOnByDefaultAndKeptThroughTheOtherSwitches() {
        SetupModel setup =
                Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam());
        assertThat(setup.foldBatchNorm()).isTrue();
        assertThat(setup.foldBatchNorm(false).channelsLast(false).device(Device.cpu()).foldBatchNorm())
                .isFalse();
    }

    /**
     * Halves every weight at the pass's start and restores them at its end, as the EMA callback
     * swaps its average in: the folded pass must be built from the weights the callbacks leave.
     */
    private static Callback halvingAtTheStart(Phase begin, Phase end) {
        Map<String, float[]> saved = new java.util.HashMap<>();
        return Callback.on(
                begin,
                ctx -> {
                    for (var p : ctx.block().getParameters()) {
                        NDArray w = p.getValue().getArray();
                        if (ctx.phase() == begin) {
                            saved.put(p.getKey(), w.toFloatArray());
                        }
                        float[] values = saved.get(p.getKey()).clone();
                        if (ctx.phase() == begin) {
                            for (int i = 0; i < values.length; i++) {
                                values[i] *= 0.5f;
                            }
                        }
                        try (NDArray v = w.getManager().create(values, w.getShape())) {
                            ChannelsLastWeights.copyInto(w, v);
                        }
                    }
                },
                end);
    }

    @Test
    void theFoldedPassUsesTheWeightsTheBeginCallbacksLeave() {
        SampleDataset data = digits(32, 11);
        try (FittedModel fitted =
                        Luz.setup(ChapterConvNet.withBatchNorm(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                                .device(Device.cpu())
                                .fit(FitOptions.builder(loader(data, true)).epochs(1).seed(5).verbose(false).build());
                NDManager m = NDManager.newBaseManager(Device.cpu())) {
            Comparison evaluated = new Comparison();
            fitted.evaluate(loader(data, false), halvingAtTheStart(Phase.VALID_BEGIN, Phase.VALID_END), evaluated.callback());
            assertThat(evaluated.batches).isEqualTo(2);
            assertThat(evaluated.worst).as("evaluate folded the swapped-in weights").isLessThan(1e-5);
            Comparison predicted = new Comparison();
            fitted.predict(loader(data, false), m, halvingAtTheStart(Phase.PREDICT_BEGIN, Phase.PREDICT_END), predicted.callback());
            assertThat(predicted.batches).isEqualTo(2);
            assertThat(predicted.worst).as("predict folded the swapped-in weights").isLessThan(1e-5);
        }
    }
}
