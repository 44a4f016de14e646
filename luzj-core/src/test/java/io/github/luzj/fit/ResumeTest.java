package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.loss.Loss;
import io.github.luzj.FittedModel;
import io.github.luzj.Luz;
import io.github.luzj.SetupModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.data.DataLoader;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {

    static SetupModel setup() {
        SequentialBlock net =
                new SequentialBlock()
                        .add(Linear.builder().setUnits(8).build())
                        .add(BatchNorm.builder().build())
                        .add(Activation.reluBlock())
                        .add(Linear.builder().setUnits(3).build());
        return Luz.setup(net, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.01));
    }

    static DataLoader train() {
        return DataLoader.builder(Synthetic.argmaxClasses(40, 4, 3, 11))
                .batchSize(8)
                .shuffle(true)
                .seed(5)
                .build();
    }

    static DataLoader valid() {
        return DataLoader.builder(Synthetic.argmaxClasses(16, 4, 3, 12)).batchSize(8).build();
    }

    static float[] weights(FittedModel m) {
        try (NDManager nd = NDManager.newBaseManager()) {
            return m.predict(valid(), nd).toFloatArray();
        }
    }

    static float[] allParameters(FittedModel m) {
        return m.block().getParameters().stream()
                .map(p -> p.getValue().getArray().toFloatArray())
                .reduce(new float[0], ResumeTest::concat);
    }

    static float[] concat(float[] a, float[] b) {
        float[] out = new float[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void interruptedAfterEpochOneAndResumedEqualsAnUninterruptedRun(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel full =
                        setup().fit(
                                        FitOptions.builder(train())
                                                .valid(valid())
                                                .epochs(3)
                                                .verbose(false)
                                                .build());
                FittedModel first =
                        setup().fit(
                                        FitOptions.builder(train())
                                                .valid(valid())
                                                .epochs(1)
                                                .verbose(false)
                                                .callbacks(
                                                        Callback.on(
                                                                Phase.EPOCH_END,
                                                                ctx -> ctx.saveCheckpoint(ckpt)))
                                                .build());
                FittedModel resumed =
                        setup().fit(
                                        FitOptions.builder(train())
                                                .valid(valid())
                                                .epochs(3)
                                                .verbose(false)
                                                .resumeFrom(ckpt)
                                                .build())) {
            assertThat(resumed.records().epochs()).isEqualTo(3);
            assertThat(resumed.globalStep()).isEqualTo(full.globalStep());
            assertThat(allParameters(resumed)).containsExactly(allParameters(full));
            assertThat(resumed.records().values("valid", "loss"))
                    .containsExactly(full.records().values("valid", "loss"));
            assertThat(weights(resumed)).containsExactly(weights(full));
        }
    }

    @Test
    void aCheckpointMidEpochResumesAtTheNextBatch(@TempDir Path dir) {
        Path ckpt = dir.resolve("mid");
        Callback atBatch3OfEpoch2 =
                Callback.on(
                        Phase.TRAIN_BATCH_END,
                        ctx -> {
                            if (ctx.epoch() == 2 && ctx.batchIndex() == 2) {
                                ctx.saveCheckpoint(ckpt);
                                ctx.stopTraining("interrupted");
                            }
                        });
        try (FittedModel full =
                        setup().fit(FitOptions.builder(train()).epochs(3).verbose(false).build());
                FittedModel cut =
                        setup().fit(
                                        FitOptions.builder(train())
                                                .epochs(3)
                                                .verbose(false)
                                                .callbacks(atBatch3OfEpoch2)
                                                .build());
                FittedModel resumed =
                        setup().fit(
                                        FitOptions.builder(train())
                                                .epochs(3)
                                                .verbose(false)
                                                .resumeFrom(ckpt)
                                                .build())) {
            assertThat(cut.globalStep()).isEqualTo(5 + 3);
            assertThat(resumed.globalStep()).isEqualTo(15);
            assertThat(allParameters(resumed)).containsExactly(allParameters(full));
        }
    }

    @Test
    void anEpochCutShortAndCheckpointedAtItsEndResumesItsRemainingBatches(@TempDir Path dir) {
        Path ckpt = dir.resolve("cut");
        Callback stopMidEpoch2 =
                Callback.on(
                        Phase.TRAIN_BATCH_END,
                        ctx -> {
                            if (ctx.epoch() == 2 && ctx.batchIndex() == 1) {
                                ctx.abortTraining("test stop");
                            }
                        });
        Callback saveAtEpochEnd = Callback.on(Phase.EPOCH_END, ctx -> ctx.saveCheckpoint(ckpt));
        try (FittedModel full =
                        setup().fit(FitOptions.builder(train()).epochs(3).verbose(false).build());
                FittedModel cut =
                        setup().fit(
                                        FitOptions.builder(train())
                                                .epochs(3)
                                                .verbose(false)
                                                .callbacks(stopMidEpoch2, saveAtEpochEnd)
                                                .build());
                FittedModel resumed =
                        setup().fit(
                                        FitOptions.builder(train())
                                                .epochs(3)
                                                .verbose(false)
                                                .resumeFrom(ckpt)
                                                .build())) {
            assertThat(cut.stopReason()).isEqualTo("test stop");
            assertThat(cut.globalStep()).isEqualTo(5 + 2);
            assertThat(resumed.globalStep()).isEqualTo(15);
            assertThat(allParameters(resumed)).containsExactly(allParameters(full));
        }
    }

    @Test
    void checkpointsThatAreNotLuzjOrDoNotFitAreRefused(@TempDir Path dir) throws Exception {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        assertThatThrownBy(
                        () ->
                                setup().fit(
                                                FitOptions.builder(train())
                                                        .epochs(1)
                                                        .verbose(false)
                                                        .resumeFrom(empty)
                                                        .build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("no checkpoint at");
        Path foreign = Files.createDirectories(dir.resolve("foreign"));
        Files.writeString(foreign.resolve("checkpoint.json"), "{\"format\": \"keras\"}");
        assertThatThrownBy(
                        () ->
                                setup().fit(
                                                FitOptions.builder(train())
                                                        .epochs(1)
                                                        .verbose(false)
                                                        .resumeFrom(foreign)
                                                        .build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is not a luzj checkpoint");
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel ignored =
                setup().fit(
                                FitOptions.builder(train())
                                        .epochs(1)
                                        .verbose(false)
                                        .callbacks(Callback.on(Phase.FIT_END, c -> c.saveCheckpoint(ckpt)))
                                        .build())) {
            // a different architecture cannot take these weights
        }
        SequentialBlock other = new SequentialBlock().add(Linear.builder().setUnits(3).build());
        assertThatThrownBy(
                        () ->
                                Luz.setup(other, Loss.softmaxCrossEntropyLoss(), Optimizers.adam().lr(0.01))
                                        .fit(
                                                FitOptions.builder(train())
                                                        .epochs(2)
                                                        .verbose(false)
                                                        .resumeFrom(ckpt)
                                                        .build()))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("does not fit this model");
    }
}
