package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.DataLoader;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.Synthetic;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PhaseOrderTest {

    /** Records every phase it sees. */
    static final class Recorder implements Callback {
        final List<Phase> seen = new ArrayList<>();

        @Override
        public Set<Phase> callOn() {
            return EnumSet.allOf(Phase.class);
        }

        @Override
        public void on(Phase phase, Context ctx) {
            seen.add(phase);
        }
    }

    static SequentialBlock net() {
        return new SequentialBlock().add(Linear.builder().setUnits(3).build());
    }

    static DataLoader loader(int n, int batch) {
        return DataLoader.builder(Synthetic.argmaxClasses(n, 4, 3, 7)).batchSize(batch).build();
    }

    @Test
    void phasesFireInLuzOrder() {
        Recorder rec = new Recorder();
        try (FittedModel fitted =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .fit(
                                FitOptions.builder(loader(6, 4))
                                        .valid(loader(3, 4))
                                        .epochs(2)
                                        .verbose(false)
                                        .callbacks(rec)
                                        .build())) {
            List<Phase> train =
                    List.of(
                            Phase.TRAIN_BATCH_BEGIN,
                            Phase.TRAIN_BATCH_AFTER_PRED,
                            Phase.TRAIN_BATCH_AFTER_LOSS,
                            Phase.TRAIN_BATCH_BEFORE_BACKWARD,
                            Phase.TRAIN_BATCH_BEFORE_STEP,
                            Phase.TRAIN_BATCH_AFTER_STEP,
                            Phase.TRAIN_BATCH_END);
            List<Phase> valid =
                    List.of(
                            Phase.VALID_BATCH_BEGIN,
                            Phase.VALID_BATCH_AFTER_PRED,
                            Phase.VALID_BATCH_AFTER_LOSS,
                            Phase.VALID_BATCH_END);
            List<Phase> epoch = new ArrayList<>();
            epoch.add(Phase.EPOCH_BEGIN);
            epoch.add(Phase.TRAIN_BEGIN);
            epoch.addAll(train); // 6 examples in batches of 4: two batches
            epoch.addAll(train);
            epoch.add(Phase.TRAIN_END);
            epoch.add(Phase.VALID_BEGIN);
            epoch.addAll(valid);
            epoch.add(Phase.VALID_END);
            epoch.add(Phase.EPOCH_END);
            List<Phase> expected = new ArrayList<>();
            expected.add(Phase.FIT_BEGIN);
            expected.addAll(epoch);
            expected.addAll(epoch);
            expected.add(Phase.FIT_END);
            assertThat(rec.seen).containsExactlyElementsOf(expected);
            assertThat(fitted.records().values("train", "loss")).hasSize(2);
            assertThat(fitted.records().values("valid", "loss")).hasSize(2);
        }
    }

    @Test
    void onBatchEndFiresOncePerTrainingBatch() {
        int[] calls = {0};
        Callback cb = Callback.on("on_batch_end", ctx -> calls[0]++);
        DataLoader train = loader(10, 3); // 4 batches
        try (FittedModel ignored =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.sgd())
                        .fit(
                                FitOptions.builder(train)
                                        .valid(loader(5, 2))
                                        .epochs(3)
                                        .verbose(false)
                                        .callbacks(cb)
                                        .build())) {
            assertThat(calls[0]).isEqualTo(3 * train.size()).isEqualTo(12);
        }
    }

    @Test
    void phaseNamesParseAndUnknownNamesListTheValidOnes() {
        assertThat(Phase.parse("on_batch_end")).isEqualTo(Phase.TRAIN_BATCH_END);
        assertThat(Phase.parse("on_batch_begin")).isEqualTo(Phase.TRAIN_BATCH_BEGIN);
        assertThat(Phase.parse("on_epoch_end")).isEqualTo(Phase.EPOCH_END);
        assertThat(Phase.parse("VALID_END")).isEqualTo(Phase.VALID_END);
        for (Phase p : Phase.values()) {
            assertThat(Phase.parse(p.luzName())).isEqualTo(p);
        }
        assertThatThrownBy(() -> Phase.parse("on_epoch_ending"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("unknown phase 'on_epoch_ending'")
                .hasMessageContaining("on_epoch_end")
                .hasMessageContaining("on_batch_end");
    }

    @Test
    void callbackWeightsOrderCallsAndFailuresNameTheCallback() {
        List<String> order = new ArrayList<>();
        Callback late =
                new Callback() {
                    public Set<Phase> callOn() {
                        return EnumSet.of(Phase.FIT_BEGIN);
                    }

                    public void on(Phase p, Context c) {
                        order.add("late");
                    }

                    public int weight() {
                        return 5;
                    }
                };
        Callback early = Callback.on(Phase.FIT_BEGIN, c -> order.add("early"));
        Callback failing =
                new Callback() {
                    public Set<Phase> callOn() {
                        return EnumSet.of(Phase.EPOCH_END);
                    }

                    public void on(Phase p, Context c) {
                        throw new IllegalStateException("boom");
                    }

                    public String name() {
                        return "Exploder";
                    }
                };
        assertThatThrownBy(
                        () ->
                                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                                        .fit(
                                                FitOptions.builder(loader(4, 4))
                                                        .epochs(1)
                                                        .verbose(false)
                                                        .callbacks(late, early, failing)
                                                        .build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("Exploder")
                .hasMessageContaining("on_epoch_end")
                .hasMessageContaining("boom");
        assertThat(order).containsExactly("early", "late");
    }

    @Test
    void stopTrainingEndsAfterTheEpochButNotBeforeMinEpochs() {
        Callback stopper = Callback.on(Phase.EPOCH_END, ctx -> ctx.stopTraining("test"));
        try (FittedModel fitted =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .fit(
                                FitOptions.builder(loader(8, 4))
                                        .epochs(5)
                                        .minEpochs(3)
                                        .verbose(false)
                                        .callbacks(stopper)
                                        .build())) {
            assertThat(fitted.records().epochs()).isEqualTo(3);
        }
    }

    @Test
    void fittingAgainContinuesEpochsAndSteps() {
        DataLoader train = loader(8, 4);
        try (FittedModel fitted =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .fit(FitOptions.builder(train).epochs(2).verbose(false).build())) {
            fitted.fit(FitOptions.builder(train).epochs(1).verbose(false).build());
            assertThat(fitted.records().epochs()).isEqualTo(3);
            assertThat(fitted.globalStep()).isEqualTo(6);
        }
    }

    @Test
    void predictFiresThePredictPhases() {
        Recorder rec = new Recorder();
        DataLoader data = loader(6, 4);
        try (FittedModel fitted =
                        Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                                .fit(FitOptions.builder(data).epochs(1).verbose(false).build());
                ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            assertThat(fitted.predict(data, m, rec).getShape().get(0)).isEqualTo(6);
            assertThat(rec.seen)
                    .containsExactly(
                            Phase.PREDICT_BEGIN,
                            Phase.PREDICT_BATCH_BEGIN,
                            Phase.PREDICT_BATCH_END,
                            Phase.PREDICT_BATCH_BEGIN,
                            Phase.PREDICT_BATCH_END,
                            Phase.PREDICT_END);
        }
    }

    @Test
    void evaluateFiresTheValidationPhasesAsAFitsValidationDoes() {
        Recorder rec = new Recorder();
        List<String> seen = new ArrayList<>();
        Callback probe =
                Callback.on(
                        Phase.VALID_BATCH_AFTER_LOSS,
                        ctx ->
                                seen.add(ctx.batchIndex() + "/" + ctx.validBatches()
                                        + " training=" + ctx.training()
                                        + " pred=" + ctx.pred().head().getShape()
                                        + " loss=" + (ctx.loss() != null)));
        DataLoader data = loader(6, 4);
        try (FittedModel fitted =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .fit(FitOptions.builder(data).epochs(1).verbose(false).build())) {
            Map<String, Double> plain = fitted.evaluate(data);
            assertThat(fitted.evaluate(data, rec, probe)).isEqualTo(plain);
            List<Phase> batch =
                    List.of(
                            Phase.VALID_BATCH_BEGIN,
                            Phase.VALID_BATCH_AFTER_PRED,
                            Phase.VALID_BATCH_AFTER_LOSS,
                            Phase.VALID_BATCH_END);
            List<Phase> expected = new ArrayList<>();
            expected.add(Phase.VALID_BEGIN);
            expected.addAll(batch); // 6 examples in batches of 4: two batches
            expected.addAll(batch);
            expected.add(Phase.VALID_END);
            assertThat(rec.seen).containsExactlyElementsOf(expected);
            assertThat(seen)
                    .containsExactly(
                            "0/2 training=false pred=(4, 3) loss=true",
                            "1/2 training=false pred=(2, 3) loss=true");
        }
    }

    @Test
    void aLossReplacedAtValidBatchAfterLossIsTheOneEvaluateAverages() {
        Callback zero =
                Callback.on(Phase.VALID_BATCH_AFTER_LOSS, ctx -> ctx.setLoss(ctx.loss().mul(0)));
        DataLoader data = loader(6, 4);
        try (FittedModel fitted =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .fit(FitOptions.builder(data).epochs(1).verbose(false).build())) {
            assertThat(fitted.evaluate(data).get("loss")).isPositive();
            assertThat(fitted.evaluate(data, zero).get("loss")).isZero();
        }
    }

    @Test
    void evaluateAndPredictCutShortByACallbackReturnNothing() {
        DataLoader data = loader(6, 4);
        try (FittedModel fitted =
                        Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                                .fit(FitOptions.builder(data).epochs(1).verbose(false).build());
                ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            Recorder rec = new Recorder();
            Callback abort =
                    Callback.on(Phase.VALID_BATCH_END, ctx -> ctx.abortTraining("Ctrl-C"));
            assertThatThrownBy(() -> fitted.evaluate(data, abort, rec))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("evaluate stopped after batch 1 of 2: Ctrl-C");
            assertThat(rec.seen).endsWith(Phase.VALID_BATCH_END, Phase.VALID_END).hasSize(6);
            Callback abortPredict =
                    Callback.on(Phase.PREDICT_BATCH_END, ctx -> ctx.abortTraining("Ctrl-C"));
            assertThatThrownBy(() -> fitted.predict(data, m, abortPredict))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("predict stopped after batch 1 of 2: Ctrl-C");
        }
    }

    @Test
    void evaluateNamesTheShapesLikeFit() {
        try (FittedModel fitted =
                Luz.setup(net(), Loss.softmaxCrossEntropyLoss(), Optimizers.adam())
                        .fit(FitOptions.builder(loader(6, 4)).epochs(1).verbose(false).build())) {
            DataLoader wide =
                    DataLoader.builder(Synthetic.argmaxClasses(6, 5, 3, 7)).batchSize(4).build();
            assertThatThrownBy(() -> fitted.evaluate(wide))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("forward pass failed on input of shape (4, 5)")
                    .hasMessageContaining("check that the data's shape fits the model's first layer");
        }
    }
}
