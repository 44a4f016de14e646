package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDManager;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.fit.FitOptions;
import io.github.luzj.optim.Optimizers;
import io.github.luzj.testing.FakeContext;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TerminateOnNaNTest {

    @Test
    void aDivergingFitStopsMidEpochAndEndsNormally() {
        TerminateOnNaN nan = LuzCallbacks.terminateOnNaN();
        // lr 1e30: the first step throws the weights to ~1e30, the next loss overflows
        try (FittedModel fitted = Fixtures.linear(Optimizers.sgd().lr(1e30)).fit(
                FitOptions.builder(Fixtures.loader(Fixtures.regression(40, 3), 4, true))
                        .epochs(3).verbose(false).callbacks(nan).build())) {
            assertThat(nan.stoppedEpoch()).isEqualTo(1);
            assertThat(nan.stoppedBatch()).isBetween(1, 8);
            assertThat(fitted.globalStep()).isEqualTo(nan.stoppedBatch() + 1);
            assertThat(fitted.records().epochs()).isEqualTo(1);
            assertThat(nan.message())
                    .matches("the training loss is (NaN|Inf) at epoch 1, batch \\d of 10 \\(step"
                            + " \\d\\); training stops\\. Lower the learning rate or clip the"
                            + " gradients; add a ModelCheckpoint and pass it to"
                            + " TerminateOnNaN.reporting to name the checkpoint to resume"
                            + " from\\.");
        }
    }

    @Test
    void theMessageNamesTheLastGoodCheckpoint(@TempDir Path dir) {
        // the loss turns NaN at the third batch of epoch 3; its gradients poison the weights
        Callback poison = Callback.on(Phase.TRAIN_BATCH_AFTER_LOSS, ctx -> {
            if (ctx.epoch() == 3 && ctx.batchIndex() == 2) {
                ctx.setLoss(ctx.loss().mul(Float.NaN));
            }
        });
        ModelCheckpoint ckpt = LuzCallbacks.modelCheckpoint(dir + "/epoch-{epoch:02d}");
        TerminateOnNaN nan = LuzCallbacks.terminateOnNaN().reporting(ckpt);
        try (FittedModel fitted =
                Fixtures.fitClasses(Fixtures.classifier(), 5, true, poison, ckpt, nan)) {
            assertThat(nan.message()).isEqualTo(
                    "the training loss is NaN at epoch 3, batch 3 of 5 (step 13); training"
                            + " stops. The last good checkpoint is " + dir.resolve("epoch-02")
                            + " (epoch 2): resume from it with FitOptions.resumeFrom and a lower"
                            + " learning rate or gradient clipping.");
            assertThat(fitted.records().epochs()).isEqualTo(3);
            // validation was skipped in epoch 3: nothing recorded for it
            assertThat(fitted.records().values("valid", "loss")).hasSize(2);
            // epoch 3 ended with a NaN validation loss: it did not replace the good checkpoints
            assertThat(Files.exists(dir.resolve("epoch-03"))).isFalse();
            assertThat(ckpt.lastSaved().epoch()).isEqualTo(2);
        }
    }

    @Test
    void infinityCountsAndAFiniteLossDoesNot() {
        TerminateOnNaN nan = LuzCallbacks.terminateOnNaN();
        FakeContext ctx = new FakeContext();
        try (NDManager m = NDManager.newBaseManager()) {
            nan.on(Phase.FIT_BEGIN, ctx);
            ctx.loss = m.create(1e30f);
            nan.on(Phase.TRAIN_BATCH_END, ctx);
            assertThat(ctx.stops).isEmpty();
            ctx.epoch = 2;
            ctx.batchIndex = 4;
            ctx.globalStep = 10;
            ctx.loss = m.create(Double.NEGATIVE_INFINITY); // float64 losses are read too
            nan.on(Phase.TRAIN_BATCH_END, ctx);
            assertThat(ctx.stops).singleElement().asString()
                    .startsWith("the training loss is -Inf at epoch 2, batch 5 of 5 (step 10)");
            nan.on(Phase.FIT_BEGIN, ctx); // a new fit forgets the last stop
            assertThat(nan.message()).isNull();
            assertThat(nan.stoppedBatch()).isEqualTo(-1);
        }
    }

    @Test
    void reportingNeedsACheckpoint() {
        assertThatThrownBy(() -> LuzCallbacks.terminateOnNaN().reporting(null))
                .isInstanceOf(LuzjException.class)
                .hasMessage("checkpoint is null; pass the fit's ModelCheckpoint");
    }
}
