package io.github.luzj.examples;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bench runs end to end on a few bundled digits and writes every figure; no timing asserted. */
class BenchCommandTest {

    private static final List<String> RATIOS =
            List.of(
                    "fit_vs_raw",
                    "augmented_vs_plain",
                    "augmentation_vs_training",
                    "lrfinder_vs_steps",
                    "rss_growth_per_epoch",
                    "frozen_vs_trainable");

    private static final List<String> FIGURES =
            List.of(
                    "fit_samples_per_second",
                    "raw_djl_samples_per_second",
                    "augmented_samples_per_second",
                    "augmentation_images_per_second",
                    "steps_seconds",
                    "lrfinder_seconds",
                    "resnet_frozen_epoch_seconds",
                    "resnet_trainable_epoch_seconds",
                    "adam_step_ms_exact",
                    "adam_step_ms_fused",
                    "adam_step_ms_djl");

    @Test
    void aTinyBenchWritesEveryFigureAndRatio(@TempDir Path tmp) throws Exception {
        CliErrorsTest.Run r =
                CliErrorsTest.run(
                        "bench", "--data", "bundled", "--limit", "64", "--batch-size", "32",
                        "--epochs", "1", "--memory-epochs", "2", "--lr-steps", "2", "--resnet-samples", "32", "--threads", "1",
                        "--quiet",
                        "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Path file = tmp.resolve("bench.json");
        assertThat(r.out()).contains("fit / plain DJL").contains("Wrote " + file);
        JsonObject json = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
        for (String key : FIGURES) {
            assertThat(json.get(key).getAsDouble()).as(key).isPositive();
            assertThat(json.getAsJsonArray(key + "_runs")).as(key).hasSize(1);
        }
        for (String key : RATIOS) {
            assertThat(json.has(key)).as(key).isTrue();
            assertThat(json.getAsJsonObject("targets").get(key).getAsString()).as(key).isNotBlank();
        }
        double fit = json.get("fit_samples_per_second").getAsDouble();
        double raw = json.get("raw_djl_samples_per_second").getAsDouble();
        assertThat(json.get("fit_vs_raw").getAsDouble()).isCloseTo(fit / raw, within(1e-9));
        // a warm-up epoch and one more leave no trend to judge: unknown, not a pass
        assertThat(json.get("rss_growth_per_epoch").isJsonNull()).isTrue();
        assertThat(json.getAsJsonObject("met").get("rss_growth_per_epoch").isJsonNull()).isTrue();
        assertThat(json.getAsJsonArray("rss_mb_after_epoch")).hasSize(2);
        assertThat(json.get("memory_epochs").getAsInt()).isEqualTo(2);
        // three models' weights and optimizer state at least
        assertThat(json.getAsJsonArray("live_ndarrays_after_epoch").get(0).getAsInt()).isGreaterThan(50);
        assertThat(json.get("train_samples").getAsInt()).isEqualTo(64);
        assertThat(json.get("intra_op_threads").getAsInt()).isEqualTo(1);
        assertThat(json.get("resnet_weights").getAsString()).isNotBlank();
        assertThat(json.getAsJsonObject("targets").get("fit_vs_raw").getAsString()).isEqualTo(">= 0.9700");
    }

    @Test
    void tooFewResNetSamplesForABatchIsAUserError(@TempDir Path tmp) {
        CliErrorsTest.Run r =
                CliErrorsTest.run(
                        "bench", "--data", "bundled", "--limit", "64", "--batch-size", "32",
                        "--resnet-samples", "16", "--out", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--resnet-samples must be at least --batch-size (32), got 16");
        assertThat(Files.exists(tmp.resolve("bench.json"))).isFalse();
    }

    @Test
    void growthPerEpochIsTheRelativeTrendAfterTheFirstEpoch() {
        // the first epoch's warm-up (90 -> 100) is reported apart, not judged
        assertThat(BenchCommand.growthPerEpoch(List.of(90.0, 100.0, 102.0, 104.0)))
                .isCloseTo(0.02, within(1e-12));
        assertThat(BenchCommand.warmUpGrowth(List.of(90.0, 100.0, 102.0, 104.0)))
                .isCloseTo(10.0 / 90, within(1e-12));
        assertThat(BenchCommand.growthPerEpoch(List.of(50.0, 100.0, 99.0)))
                .isCloseTo(-0.01, within(1e-12));
        assertThat(BenchCommand.growthPerEpoch(List.of(100.0, 101.0))).isNaN();
        // a least-squares slope: one high reading in the middle counts, but less than a trend
        assertThat(BenchCommand.growthPerEpoch(List.of(90.0, 100.0, 100.0, 110.0, 100.0)))
                .isCloseTo(0.01, within(1e-12));
        assertThat(BenchCommand.growthPerEpoch(List.of(90.0, 100.0, 104.0, 96.0, 100.0)))
                .isCloseTo(-0.008, within(1e-12));
        assertThat(BenchCommand.warmUpGrowth(List.of(100.0))).isNaN();
    }

    @Test
    void ratiosAreTheMedianOfEachRoundsOwnRatio() {
        // round 2 ran on a machine twice as slow for both variants: its ratio is still 1
        assertThat(BenchCommand.paired(List.of(10.0, 20.0, 9.0), List.of(10.0, 20.0, 10.0)))
                .isEqualTo(1.0);
        // a real run (fit against fit+augmentation, seconds): one slow round of the second
        // variant; medians taken apart would give 6.09 / 6.63 = 0.92
        assertThat(BenchCommand.paired(List.of(6.65, 6.09, 5.98), List.of(6.63, 6.67, 5.85)))
                .isCloseTo(6.65 / 6.63, within(1e-12));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwo() {
        assertThat(BenchReport.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(BenchReport.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
        assertThat(BenchReport.median(List.of())).isNaN();
    }
}
