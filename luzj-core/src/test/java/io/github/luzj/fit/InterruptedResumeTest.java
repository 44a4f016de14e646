package io.github.luzj.fit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.luzj.FittedModel;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.checkpoint.Checkpoint;
import io.github.luzj.record.Records;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C as the CLI handles it (a checkpoint at a batch's end, then an abort, then the epoch-end
 * checkpoint) at the batch ends of a 2-epoch fit, training and validation, every one of the
 * final epoch included:
 * the resumed fit's records equal the uninterrupted fit's.
 */
class InterruptedResumeTest {

    static final int EPOCHS = 2;

    static FittedModel fit(Path ckpt, boolean resume, Callback... callbacks) {
        return ResumeTest.setup().fit(
                FitOptions.builder(ResumeTest.train())
                        .valid(ResumeTest.valid())
                        .epochs(EPOCHS)
                        .verbose(false)
                        .callbacks(callbacks)
                        .callbacks(Callback.on(Phase.EPOCH_END, ctx -> ctx.saveCheckpoint(ckpt)))
                        .resumeFrom(resume ? ckpt : null)
                        .overwriteCheckpoints(!resume)
                        .build());
    }

    /** Saves and aborts at the {@code n}-th batch end (training and validation counted). */
    static Callback interruptAt(int n, Path ckpt) {
        int[] seen = {0};
        return Callback.on(
                Phase.TRAIN_BATCH_END,
                ctx -> {
                    if (++seen[0] == n) {
                        ctx.saveCheckpoint(ckpt);
                        ctx.abortTraining("interrupted");
                    }
                },
                Phase.VALID_BATCH_END);
    }

    @Test
    void aResumeAfterAnInterruptionAtAnyBatchEqualsTheUninterruptedFit(@TempDir Path tmp) {
        List<Records.Entry> full;
        try (FittedModel m = fit(tmp.resolve("full"), false)) {
            full = m.records().entries();
        }
        int trainBatches = ResumeTest.train().size();
        int perEpoch = trainBatches + ResumeTest.valid().size();
        // epoch 1: its first and last training batch and its first validation batch; then every
        // batch end of the final epoch, its last training and last validation batch included
        List<Integer> moments = new java.util.ArrayList<>(List.of(1, trainBatches, trainBatches + 1));
        for (int n = perEpoch + 1; n <= EPOCHS * perEpoch; n++) {
            moments.add(n);
        }
        for (int n : moments) {
            Path ckpt = tmp.resolve("at-" + n);
            try (FittedModel cut = fit(ckpt, false, interruptAt(n, ckpt))) {
                assertThat(cut.stopReason()).isEqualTo("interrupted");
            }
            Checkpoint.Position at = Checkpoint.info(ckpt).position();
            assertThat(at.epochsDone()).as("interruption %d", n).isEqualTo((n - 1) / perEpoch);
            try (FittedModel resumed = fit(ckpt, true)) {
                List<Records.Entry> got = resumed.records().entries();
                assertThat(got).as("interruption %d", n).hasSameSizeAs(full);
                for (int i = 0; i < full.size(); i++) {
                    Records.Entry want = full.get(i);
                    assertThat(got.get(i).set() + got.get(i).metric() + got.get(i).epoch())
                            .isEqualTo(want.set() + want.metric() + want.epoch());
                    assertThat(got.get(i).value())
                            .as("interruption %d, %s", n, want)
                            .isCloseTo(want.value(), within(1e-6 * Math.abs(want.value())));
                }
                assertThat(resumed.stopReason()).isNull();
            }
        }
    }
}
