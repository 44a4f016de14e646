package io.github.luzj.callbacks;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.luzj.FittedModel;
import io.github.luzj.callback.Callback;
import io.github.luzj.callback.Phase;
import io.github.luzj.fit.FitOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepBestModelTest {

    /** Every epoch's parameters, BatchNorm statistics included, copied to the host. */
    private static Callback recorder(List<float[][]> byEpoch) {
        return Callback.on(Phase.EPOCH_END, ctx -> byEpoch.add(Fixtures.parameters(ctx.block())));
    }

    private static List<String> names(Path dir) throws java.io.IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).toList();
        }
    }

    private static int argBest(double[] values, boolean max) {
        int best = 0;
        for (int i = 1; i < values.length; i++) {
            if (max ? values[i] > values[best] : values[i] < values[best]) {
                best = i;
            }
        }
        return best;
    }

    @Test
    void restoresTheBestEpochsWeightsBitwise() {
        // "best" = highest validation loss, so that the best epoch is not the last
        KeepBestModel keep = LuzCallbacks.keepBestModel().mode("max");
        List<float[][]> byEpoch = new ArrayList<>();
        try (FittedModel fitted =
                Fixtures.fitClasses(Fixtures.classifier(), 4, true, keep, recorder(byEpoch))) {
            int best = argBest(fitted.records().values("valid", "loss"), true);
            assertThat(best).isLessThan(3);
            assertThat(keep.bestEpoch()).isEqualTo(best + 1);
            float[][] now = Fixtures.parameters(fitted.block());
            assertThat(now).isDeepEqualTo(byEpoch.get(best));
            assertThat(now).isNotEqualTo(byEpoch.get(3));
            assertThat(keep.holdsCopy()).isFalse();
        }
    }

    @Test
    void withoutValidationDataItWatchesTheTrainingSet() {
        KeepBestModel keep = LuzCallbacks.keepBestModel().mode("max");
        List<float[][]> byEpoch = new ArrayList<>();
        try (FittedModel fitted =
                Fixtures.fitClasses(Fixtures.classifier(), 4, false, keep, recorder(byEpoch))) {
            int best = argBest(fitted.records().values("train", "loss"), true);
            assertThat(best).isLessThan(3);
            assertThat(Fixtures.parameters(fitted.block())).isDeepEqualTo(byEpoch.get(best));
        }
    }

    @Test
    void anInstanceServesSeveralFitsAndCheckpointsOnlyItsMonitor() {
        KeepBestModel keep = LuzCallbacks.keepBestModel().mode("max");
        for (int run = 0; run < 2; run++) {
            List<float[][]> byEpoch = new ArrayList<>();
            try (FittedModel fitted =
                    Fixtures.fitClasses(Fixtures.classifier(), 3, true, keep, recorder(byEpoch))) {
                int best = argBest(fitted.records().values("valid", "loss"), true);
                assertThat(Fixtures.parameters(fitted.block())).isDeepEqualTo(byEpoch.get(best));
            }
        }
        // the best value and epoch in the JSON; no copy of the weights once the fit has ended
        assertThat(keep.state().getAsJsonObject().keySet()).containsExactlyInAnyOrder("monitor", "best", "best_epoch");
        assertThat(keep.stateBytes()).isNull();
    }

    @Test
    void aResumedFitRestoresABestEpochTrainedBeforeTheResume(@TempDir Path dir) throws Exception {
        Path ckpt = dir.resolve("ckpt");
        Callback save = Callback.on(Phase.EPOCH_END, ctx -> {
            if (ctx.epoch() == 2) {
                ctx.saveCheckpoint(ckpt);
            }
        });
        KeepBestModel fullKeep = LuzCallbacks.keepBestModel().mode("max");
        try (FittedModel full = Fixtures.fitClasses(Fixtures.classifier(), 4, true, fullKeep);
                FittedModel first = Fixtures.fitClasses(
                        Fixtures.classifier(), 4, true, LuzCallbacks.keepBestModel().mode("max"), save)) {
            assertThat(fullKeep.bestEpoch()).as("the best epoch is before the checkpoint").isLessThanOrEqualTo(2);
            assertThat(names(ckpt)).anyMatch(n -> n.startsWith("states-"));
            KeepBestModel keep = LuzCallbacks.keepBestModel().mode("max");
            List<float[][]> byEpoch = new ArrayList<>();
            try (FittedModel resumed = Fixtures.classifier().fit(FitOptions.builder(Fixtures.trainClasses())
                    .valid(Fixtures.validClasses()).epochs(4).verbose(false)
                    .callbacks(keep, recorder(byEpoch)).resumeFrom(ckpt).build())) {
                assertThat(keep.bestEpoch()).isEqualTo(fullKeep.bestEpoch());
                float[][] now = Fixtures.parameters(resumed.block());
                assertThat(now).isDeepEqualTo(Fixtures.parameters(full.block()));
                assertThat(now).isNotEqualTo(byEpoch.get(byEpoch.size() - 1));
            }
        }
    }

    @Test
    void withAnAverageValidatedInPlaceOfTheLiveWeightsTheValidatedWeightsAreKept() {
        // validation runs on the EMA's average; the live weights were never validated
        KeepBestModel keep = LuzCallbacks.keepBestModel();
        ExponentialMovingAverage ema = LuzCallbacks.ema(0.9);
        try (FittedModel fitted = Fixtures.fitClasses(Fixtures.classifier(), 4, true, ema, keep)) {
            assertThat(fitted.evaluate(Fixtures.validClasses()).get("loss"))
                    .isCloseTo(keep.best().getAsDouble(), org.assertj.core.data.Offset.offset(1e-5));
        }
    }
}
