package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.optim.Optimizers;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The fit loop with schedule-free AdamW: train at y, everything else at x. */
class ScheduleFreeFitTest {

    static SetupModel setup() {
        SequentialBlock net =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(8).build())
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(3).build());
        return Luz.setup(
                net,
                Loss.softmaxCrossEntropyLoss(),
                Optimizers.scheduleFreeAdamW().lr(0.01).warmupSteps(3));
    }

    @Test
    void validationEvaluationAndTheFittedModelAreAtXWithRecomputedBatchNorm() {
        Map<String, float[]> seen = new HashMap<>();
        Callback probe =
                Callback.on(
                        Phase.TRAIN_END,
                        ctx -> {
                            FittedModelProbe.put(seen, ctx.phase().name(), ctx.block());
                            assertThat(ctx.optimizer().isTrainMode())
                                    .isEqualTo(ctx.phase() == Phase.TRAIN_END);
                        },
                        Phase.VALID_BEGIN);
        try (FittedModel m =
                setup().fit(
                                FitOptions.builder(ResumeTest.train())
                                        .valid(ResumeTest.valid())
                                        .epochs(2)
                                        .callbacks(probe)
                                        .verbose(false)
                                        .build())) {
            float[] y = seen.get("TRAIN_END");
            float[] x = seen.get("VALID_BEGIN");
            float[] after = ResumeTest.allParameters(m);
            assertThat(x).isNotEqualTo(y);
            assertThat(after).containsExactly(x);
            assertThat(m.optimizer().isTrainMode()).isFalse();
            double[] validLoss = m.records().values("valid", "loss");
            assertThat(m.evaluate(ResumeTest.valid()).get("loss"))
                    .isEqualTo(validLoss[validLoss.length - 1]);
        }
    }

    @Test
    void batchNormStatisticsAreRecomputedAtX() {
        Map<String, float[]> seen = new HashMap<>();
        Callback probe =
                Callback.on(
                        Phase.TRAIN_END,
                        ctx -> FittedModelProbe.putStatistics(seen, ctx.phase().name(), ctx.block()),
                        Phase.VALID_BEGIN);
        try (FittedModel m =
                setup().fit(
                                FitOptions.builder(ResumeTest.train())
                                        .valid(ResumeTest.valid())
                                        .epochs(1)
                                        .callbacks(probe)
                                        .verbose(false)
                                        .build())) {
            assertThat(seen.get("VALID_BEGIN")).isNotEqualTo(seen.get("TRAIN_END"));
        }
    }

    @Test
    void aCheckpointMidEpochAndOneAtAnEpochsEndResumeExactly(@TempDir Path dir) {
        Path mid = dir.resolve("mid");
        Path end = dir.resolve("end");
        Callback saves =
                Callback.on(
                        Phase.TRAIN_BATCH_END,
                        ctx -> {
                            if (ctx.phase() == Phase.EPOCH_END && ctx.epoch() == 1) {
                                ctx.saveCheckpoint(end);
                            }
                            if (ctx.phase() == Phase.TRAIN_BATCH_END
                                    && ctx.epoch() == 2
                                    && ctx.batchIndex() == 2) {
                                ctx.saveCheckpoint(mid);
                            }
                        },
                        Phase.EPOCH_END);
        try (FittedModel full =
                        setup().fit(
                                        FitOptions.builder(ResumeTest.train())
                                                .valid(ResumeTest.valid())
                                                .epochs(3)
                                                .verbose(false)
                                                .build());
                FittedModel saving =
                        setup().fit(
                                        FitOptions.builder(ResumeTest.train())
                                                .valid(ResumeTest.valid())
                                                .epochs(3)
                                                .callbacks(saves)
                                                .verbose(false)
                                                .build());
                FittedModel fromMid =
                        setup().fit(
                                        FitOptions.builder(ResumeTest.train())
                                                .valid(ResumeTest.valid())
                                                .epochs(3)
                                                .resumeFrom(mid)
                                                .verbose(false)
                                                .build());
                FittedModel fromEnd =
                        setup().fit(
                                        FitOptions.builder(ResumeTest.train())
                                                .valid(ResumeTest.valid())
                                                .epochs(3)
                                                .resumeFrom(end)
                                                .verbose(false)
                                                .build())) {
            float[] want = ResumeTest.allParameters(full);
            // saving mid-epoch puts y back bit for bit: the run goes on as if nothing happened
            assertThat(ResumeTest.allParameters(saving)).containsExactly(want);
            assertThat(ResumeTest.allParameters(fromMid)).containsExactly(want);
            assertThat(ResumeTest.allParameters(fromEnd)).containsExactly(want);
            assertThat(fromMid.records().values("valid", "loss"))
                    .containsExactly(full.records().values("valid", "loss"));
        }
    }

    /** Copies of the block's parameters or batch-norm statistics, by phase. */
    static final class FittedModelProbe {
        static void put(Map<String, float[]> seen, String key, ai.djl.nn.Block block) {
            float[] all = new float[0];
            for (var p : block.getParameters()) {
                all = ResumeTest.concat(all, p.getValue().getArray().toFloatArray());
            }
            seen.put(key, all);
        }

        static void putStatistics(Map<String, float[]> seen, String key, ai.djl.nn.Block block) {
            float[] all = new float[0];
            for (var p : block.getParameters()) {
                if (p.getKey().contains("running")) {
                    all = ResumeTest.concat(all, p.getValue().getArray().toFloatArray());
                }
            }
            assertThat(all).isNotEmpty();
            seen.put(key, all);
        }
    }
}
