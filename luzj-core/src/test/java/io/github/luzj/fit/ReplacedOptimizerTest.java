package io.github.luzj.fit;

import static io.github.luzj.fit.RefusedResumeCleanupTest.liveArrays;
import static io.github.luzj.fit.RefusedResumeTest.failAtFitBegin;
import static io.github.luzj.fit.RefusedResumeTest.options;
import static io.github.luzj.fit.RefusedResumeTest.saveAtEpoch;
import static io.github.luzj.fit.ResumeTest.allParameters;
import static io.github.luzj.fit.ResumeTest.setup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The optimizer a change of the frozen set replaced lives only as long as the fit that replaced it
 * is undecided: put back by a refused resume, freed by any other failure, never taken up by a
 * later fit; and putting back a state with a pending gradient skips parameters frozen since.
 * From the thirteenth session's second hostile review.
 */
class ReplacedOptimizerTest {

    private static byte[] optimizerState(FittedModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.optimizer().saveState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    /**
     * A plain fit that fails at FIT_BEGIN after a freeze leaves the old optimizer as "retired";
     * a later refused resume (no freeze change of its own) reinstates that stale optimizer.
     */
    @Test
    void aRefusedResumeAfterAFailedPlainFitDoesNotReinstateAnOlderOptimizer(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel tried = setup().fit(options(2).callbacks(saveAtEpoch(1, ckpt)).build());
                FittedModel twin = setup().fit(options(2).build())) {
            for (FittedModel m : new FittedModel[] {tried, twin}) {
                m.block().getChildren().get(0).getValue().freezeParameters(true);
                assertThatThrownBy(() -> m.fit(options(1).callbacks(failAtFitBegin()).build()))
                        .hasMessageContaining("refused at fit begin");
            }
            assertThatThrownBy(() -> tried.fit(options(3).resumeFrom(ckpt).callbacks(failAtFitBegin()).build()))
                    .isInstanceOf(LuzjException.class);
            for (FittedModel m : new FittedModel[] {tried, twin}) {
                m.block().getChildren().get(0).getValue().freezeParameters(false);
                m.fit(options(2).build());
            }
            assertThat(allParameters(tried)).as("the next fit").containsExactly(allParameters(twin));
        }
    }

    /**
     * A fit failed mid-accumulation (a gradient sum pending), then a layer is frozen, then a
     * resume is refused: putting the old optimizer back must not fail on the frozen parameters.
     */
    @Test
    void aRefusedResumeAfterAFreezeWithAPendingGradientRestoresCleanly(@TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("ckpt");
        Callback failAfterFirstBatch = Callback.on(Phase.TRAIN_BATCH_END, ctx -> {
            if (ctx.batchIndex() == 0) {
                throw new LuzjException("data error");
            }
        });
        try (FittedModel model = setup().fit(options(2).accumulateGradBatches(2).callbacks(saveAtEpoch(1, ckpt)).build())) {
            assertThatThrownBy(() -> model.fit(options(1).accumulateGradBatches(2).callbacks(failAfterFirstBatch).build()))
                    .hasMessageContaining("data error");
            byte[] before = optimizerState(model);
            var first = model.block().getChildren().get(0).getValue();
            first.freezeParameters(true);
            Throwable t = org.assertj.core.api.Assertions.catchThrowable(
                    () -> model.fit(options(3).accumulateGradBatches(2).resumeFrom(ckpt).build()));
            assertThat(t).isInstanceOf(LuzjException.class);
            assertThat(t.getSuppressed()).as("failures while putting the model back").isEmpty();
            first.freezeParameters(false);
            assertThat(optimizerState(model)).as("the optimizer state after the refused resume").isEqualTo(before);
        }
    }

    /** A plain fit refused at FIT_BEGIN after a freeze frees the optimizer it replaced. */
    @Test
    void aPlainFitRefusedAfterAFreezeFreesTheReplacedOptimizer() {
        try (FittedModel model = setup().fit(options(2).build())) {
            int before = liveArrays();
            model.block().getChildren().get(0).getValue().freezeParameters(true);
            assertThatThrownBy(() -> model.fit(options(1).callbacks(failAtFitBegin()).build()))
                    .hasMessageContaining("refused at fit begin");
            assertThat(liveArrays()).as("open NDArrays (Adam's moments of the replaced optimizer)").isLessThan(before);
        }
    }
}
