package io.github.luzj.fit;

import static io.github.luzj.fit.RefusedResumeTest.failAtFitBegin;
import static io.github.luzj.fit.RefusedResumeTest.options;
import static io.github.luzj.fit.RefusedResumeTest.saveAtEpoch;
import static io.github.luzj.fit.ResumeTest.allParameters;
import static io.github.luzj.fit.ResumeTest.setup;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import com.google.gson.JsonElement;
import com.google.gson.JsonPrimitive;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A resume, refused or not, leaves nothing behind: no lock, no copy, no gradient handle, no stale
 * gradient sum, and the optimizer a change of the frozen set replaced is put back when the resume
 * is refused. Found by the thirteenth session's hostile review.
 */
class RefusedResumeCleanupTest {

    /** Fails the fit after its first batch, with k = 2 in the middle of an accumulation. */
    private static Callback failAfterFirstBatch() {
        return Callback.on(Phase.TRAIN_BATCH_END, ctx -> {
            if (ctx.batchIndex() == 0) {
                throw new LuzjException("data error");
            }
        });
    }

    /** The NDArrays open in the whole engine. */
    static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    private static byte[] optimizerState(FittedModel m) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        m.optimizer().saveState(new DataOutputStream(bytes));
        return bytes.toByteArray();
    }

    private static void assertFolderUnlocked(Path ckpt) {
        assertThatCode(() -> {
            try (FileChannel ch = FileChannel.open(ckpt.resolve(".luzj-lock"), StandardOpenOption.WRITE);
                    FileLock lock = ch.tryLock()) {
                assertThat(lock).as("another run could lock the folder").isNotNull();
            }
        }).as("no lock left held on " + ckpt).doesNotThrowAnyException();
    }

    /** A callback whose loadState fails with an Error (an assertion, a linkage error). */
    static final class ErrorOnLoad implements Callback {
        private final boolean fail;

        ErrorOnLoad(boolean fail) {
            this.fail = fail;
        }

        @Override
        public Set<Phase> callOn() {
            return EnumSet.of(Phase.FIT_BEGIN);
        }

        @Override
        public void on(Phase phase, Context ctx) {}

        @Override
        public String name() {
            return "ErrorOnLoad";
        }

        @Override
        public JsonElement state() {
            return new JsonPrimitive(1);
        }

        @Override
        public void loadState(JsonElement state) {
            if (fail) {
                throw new AssertionError("unexpected state version");
            }
        }
    }

    /** An Error in a callback's loadState still frees the copy and the folder's lock. */
    @Test
    void anErrorWhileTheCheckpointIsReadReleasesTheLockAndTheSessionCopy(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel model = setup().fit(options(3).callbacks(saveAtEpoch(1, ckpt), new ErrorOnLoad(false)).build())) {
            int before = liveArrays();
            assertThatThrownBy(() -> model.fit(options(3).resumeFrom(ckpt).callbacks(new ErrorOnLoad(true)).build()))
                    .isInstanceOf(AssertionError.class);
            assertThat(liveArrays()).as("open NDArrays (the session copy)").isEqualTo(before);
            assertFolderUnlocked(ckpt);
        }
    }

    /** Copying an optimizer with a pending gradient sum frees the gradient handles it reads. */
    @Test
    void aRefusedResumeOfAModelWithAPendingGradientLeaksNoArray(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel model = setup().fit(options(2).accumulateGradBatches(2).callbacks(saveAtEpoch(1, ckpt)).build())) {
            assertThatThrownBy(() -> model.fit(options(1).accumulateGradBatches(2).callbacks(failAfterFirstBatch()).build()))
                    .hasMessageContaining("data error");
            assertThat(model.optimizer().gradientsPending()).isTrue();
            int[] live = new int[3];
            for (int i = 0; i < live.length; i++) {
                assertThatThrownBy(() -> model.fit(options(2).accumulateGradBatches(2).resumeFrom(ckpt)
                        .callbacks(failAtFitBegin()).build())).hasMessageContaining("refused at fit begin");
                live[i] = liveArrays();
            }
            assertThat(live[2]).as("open NDArrays after refusals %s", java.util.Arrays.toString(live)).isEqualTo(live[1]);
        }
    }

    /** The same on the checkpoint-writing path (saveState mid-accumulation). */
    @Test
    void aCheckpointWrittenMidAccumulationLeaksNoArray(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        Callback midAccumulation = Callback.on(Phase.TRAIN_BATCH_END, ctx -> {
            if (ctx.batchIndex() == 0) {
                ctx.saveCheckpoint(ckpt); // batch 0 of k = 2: a gradient sum is pending
            }
        });
        try (FittedModel model = setup().fit(options(1).accumulateGradBatches(2).callbacks(midAccumulation).build())) {
            int[] live = new int[3];
            for (int i = 0; i < live.length; i++) {
                model.fit(options(1).accumulateGradBatches(2).callbacks(midAccumulation).overwriteCheckpoints(true).build());
                live[i] = liveArrays();
            }
            assertThat(live[2]).as("open NDArrays after fits %s", java.util.Arrays.toString(live)).isEqualTo(live[1]);
        }
    }

    private static double gradientSum(Context ctx) {
        double sum = 0;
        for (var p : ctx.block().getParameters()) {
            NDArray w = p.getValue().getArray();
            if (w.hasGradient()) {
                PtNDArray g = JniUtils.getGradient((PtNDArray) w);
                if (g != null) {
                    try (g; NDArray abs = g.abs(); NDArray s = abs.sum()) {
                        sum += s.getFloat();
                    }
                }
            }
        }
        return sum;
    }

    /** A checkpoint without a pending gradient clears the one a failed fit left in the model. */
    @Test
    void aSuccessfulResumeOfAModelWithAPendingGradientEqualsAFreshResume(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        double[] atFitBegin = new double[1];
        Callback probe = Callback.on(Phase.FIT_BEGIN, ctx -> atFitBegin[0] = gradientSum(ctx));
        try (FittedModel model = setup().fit(options(2).accumulateGradBatches(2).callbacks(saveAtEpoch(1, ckpt)).build());
                FittedModel fresh = setup().fit(options(3).accumulateGradBatches(2).resumeFrom(ckpt).build())) {
            assertThatThrownBy(() -> model.fit(options(1).accumulateGradBatches(2).callbacks(failAfterFirstBatch()).build()))
                    .hasMessageContaining("data error");
            model.fit(options(3).accumulateGradBatches(2).resumeFrom(ckpt).callbacks(probe).build());
            assertThat(atFitBegin[0]).as("gradients at the resumed fit's begin (the checkpoint has none)").isZero();
            assertThat(allParameters(model)).as("weights").containsExactly(allParameters(fresh));
        }
    }

    /** The optimizer a change of the frozen set replaced comes back when the resume is refused. */
    @Test
    void aResumeRefusedAfterAFreezeLeavesTheOptimizerStateAsItWas(@TempDir Path dir) throws IOException {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel tried = setup().fit(options(2).callbacks(saveAtEpoch(1, ckpt)).build());
                FittedModel twin = setup().fit(options(2).build())) {
            byte[] before = optimizerState(tried);
            var firstLayer = tried.block().getChildren().get(0).getValue();
            firstLayer.freezeParameters(true);
            assertThatThrownBy(() -> tried.fit(options(2).resumeFrom(ckpt).build()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("does not fit this model");
            firstLayer.freezeParameters(false); // back as it was
            assertThat(optimizerState(tried)).as("Adam's moments and steps after the refused resume").isEqualTo(before);
            tried.fit(options(2).build());
            twin.fit(options(2).build());
            assertThat(allParameters(tried)).as("the next fit").containsExactly(allParameters(twin));
        }
    }

    @Test
    void aResumeFromAFolderThatDoesNotExistLeavesNoFolderBehind(@TempDir Path dir) {
        Path typo = dir.resolve("chekpoint");
        try (FittedModel model = setup().fit(options(1).build())) {
            assertThatThrownBy(() -> model.fit(options(2).resumeFrom(typo).build()))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("no checkpoint at " + typo);
            assertThat(java.nio.file.Files.exists(typo)).as("the mistyped folder").isFalse();
        }
    }
}
