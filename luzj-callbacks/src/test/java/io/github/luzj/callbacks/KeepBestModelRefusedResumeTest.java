package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import io.github.luzj.FittedModel;
import io.github.luzj.base.LuzjException;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Context;
import io.github.luzj.callback.Phase;
import io.github.luzj.fit.FitOptions;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A resume refused at on_fit_begin after KeepBestModel made its copy from the checkpoint frees the copy. */
class KeepBestModelRefusedResumeTest {

    private static Callback saveAt(int epoch, Path ckpt) {
        return Callback.on(Phase.EPOCH_END, ctx -> {
            if (ctx.epoch() == epoch) {
                ctx.saveCheckpoint(ckpt);
            }
        });
    }

    /** A check at fit begin that runs after luzj's callbacks (as ModelCheckpoint's, weight 100). */
    static final class LateRefusal implements Callback {
        @Override
        public Set<Phase> callOn() {
            return EnumSet.of(Phase.FIT_BEGIN);
        }

        @Override
        public void on(Phase phase, Context ctx) {
            throw new LuzjException("refused late at fit begin");
        }

        @Override
        public int weight() {
            return 2000;
        }
    }

    private static int liveArrays() {
        try (NDManager probe = NDManager.newBaseManager(Device.cpu())) {
            return probe.getParentManager().getManagedArrays().size();
        }
    }

    @Test
    void aRefusedResumeLeavesNoKeptCopyBehind(@TempDir Path dir) {
        Path ckpt = dir.resolve("ckpt");
        try (FittedModel fitted = Fixtures.fitClasses(Fixtures.classifier(), 3, true,
                LuzCallbacks.keepBestModel(), saveAt(2, ckpt))) {
            int[] live = new int[3];
            for (int i = 0; i < live.length; i++) {
                assertThatThrownBy(() -> fitted.fit(FitOptions.builder(Fixtures.trainClasses())
                                .valid(Fixtures.validClasses()).epochs(3).verbose(false)
                                .callbacks(LuzCallbacks.keepBestModel(), new LateRefusal())
                                .resumeFrom(ckpt).build()))
                        .hasMessageContaining("refused late");
                live[i] = liveArrays();
            }
            assertThat(live[2]).as("open NDArrays after refusals %s", Arrays.toString(live)).isEqualTo(live[0]);
        }
    }
}
