package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.DataLoader;
import io.github.luzj.optim.OptimizerSpec;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.Synthetic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientAccumulationTest {

    static SetupModel setup(OptimizerSpec optimizer) {
        SequentialBlock net =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(8).build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(3).build());
        return Luz.setup(net, Loss.softmaxCrossEntropyLoss(), optimizer);
    }

    static DataLoader train(int batchSize) {
        return DataLoader.builder(Synthetic.argmaxClasses(64, 4, 3, 11))
                .batchSize(batchSize)
                .build();
    }

    @Test
    void batchBWithFourAccumulatedEqualsBatchFourB() {
        OptimizerSpec adam = Optimizers.adam().lr(0.01);
        List<Long> stepsSeen = new ArrayList<>();
        Callback beforeStep =
                Callback.on(Phase.TRAIN_BATCH_BEFORE_STEP, ctx -> stepsSeen.add(ctx.globalStep()));
        try (FittedModel big =
                        setup(adam).fit(FitOptions.builder(train(16)).epochs(3).verbose(false)
                                .build());
                FittedModel accumulated =
                        setup(adam).fit(
                                        FitOptions.builder(train(4))
                                                .epochs(3)
                                                .accumulateGradBatches(4)
                                                .callbacks(beforeStep)
                                                .verbose(false)
                                                .build())) {
            assertThat(accumulated.globalStep()).isEqualTo(12);
            assertThat(big.globalStep()).isEqualTo(12);
            assertThat(stepsSeen).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
            assertThat(accumulated.records().steps()).hasSize(12);
            float[] want = ResumeTest.allParameters(big);
            float[] got = ResumeTest.allParameters(accumulated);
            assertThat(got).hasSameSizeAs(want);
            for (int i = 0; i < want.length; i++) {
                assertThat((double) got[i]).as("parameter %d", i).isCloseTo(want[i], within(1e-5));
            }
            // metrics stay per sample: the same model state gives the same training loss
            assertThat(accumulated.records().values("train", "loss")[0])
                    .isCloseTo(big.records().values("train", "loss")[0], within(1e-5));
        }
    }

    @Test
    void theEpochsLastBatchStepsAndStepsPerEpochCountsSteps() {
        List<Integer> stepsPerEpoch = new ArrayList<>();
        Callback probe =
                Callback.on(Phase.FIT_BEGIN, ctx -> stepsPerEpoch.add(ctx.stepsPerEpoch()));
        // 64 samples in batches of 8: 8 batches, k = 3 steps after batches 3, 6 and 8
        try (FittedModel m =
                setup(Optimizers.sgd())
                        .fit(
                                FitOptions.builder(train(8))
                                        .epochs(2)
                                        .accumulateGradBatches(3)
                                        .callbacks(probe)
                                        .verbose(false)
                                        .build())) {
            assertThat(m.globalStep()).isEqualTo(6);
            assertThat(stepsPerEpoch).containsExactly(3);
            assertThat(m.optimizer().gradientsPending()).isFalse();
        }
    }

    @Test
    void aCheckpointInTheMiddleOfAnAccumulationResumesExactly(@TempDir Path dir) {
        Path ckpt = dir.resolve("mid");
        Callback atBatch6OfEpoch2 =
                Callback.on(
                        Phase.TRAIN_BATCH_END,
                        ctx -> {
                            if (ctx.epoch() == 2 && ctx.batchIndex() == 5) {
                                ctx.saveCheckpoint(ckpt); // 2 of the window's 4 batches done
                                ctx.stopTraining("interrupted");
                            }
                        });
        OptimizerSpec adam = Optimizers.adam().lr(0.01);
        try (FittedModel full =
                        setup(adam).fit(
                                        FitOptions.builder(train(4))
                                                .epochs(3)
                                                .accumulateGradBatches(4)
                                                .verbose(false)
                                                .build());
                FittedModel cut =
                        setup(adam).fit(
                                        FitOptions.builder(train(4))
                                                .epochs(3)
                                                .accumulateGradBatches(4)
                                                .callbacks(atBatch6OfEpoch2)
                                                .verbose(false)
                                                .build());
                FittedModel resumed =
                        setup(adam).fit(
                                        FitOptions.builder(train(4))
                                                .epochs(3)
                                                .accumulateGradBatches(4)
                                                .resumeFrom(ckpt)
                                                .verbose(false)
                                                .build())) {
            assertThat(cut.globalStep()).isEqualTo(4 + 1);
            assertThat(cut.optimizer().gradientsPending()).isFalse(); // dropped
            assertThat(resumed.globalStep()).isEqualTo(12);
            assertThat(ResumeTest.allParameters(resumed))
                    .containsExactly(ResumeTest.allParameters(full));
        }
    }

    @Test
    void kBelowOneIsRefused() {
        assertThatThrownBy(() -> FitOptions.builder(train(4)).accumulateGradBatches(0))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("accumulateGradBatches must be >= 1, got 0");
    }
}
