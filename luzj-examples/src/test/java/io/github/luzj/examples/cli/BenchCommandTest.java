package io.github.luzj.examples.cli;

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
                    "evaluate_samples_per_second",
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
                        "--python", tmp.resolve("no-such-python").toString(),
                        "--quiet",
                        "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).contains("PyTorch figures skipped: no Python with torch");
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
        // Linux: the count of freshly mapped pages each batch made the kernel zero
        assertThat(json.get("fit_page_faults_per_batch").getAsDouble()).isNotNegative();
        assertThat(json.get("raw_page_faults_per_batch").getAsDouble()).isNotNegative();
        assertThat(json.getAsJsonArray("fit_page_faults_per_batch_runs")).hasSize(1);
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
        // an exact count: one epoch more leaves no array more open
        assertThat(json.get("ndarray_growth_per_epoch").getAsDouble()).isZero();
        assertThat(json.getAsJsonObject("met").get("ndarray_growth_per_epoch").getAsBoolean()).isTrue();
        assertThat(json.get("train_samples").getAsInt()).isEqualTo(64);
        assertThat(json.get("intra_op_threads").getAsInt()).isEqualTo(1);
        assertThat(json.get("resnet_weights").getAsString()).isNotBlank();
        assertThat(json.get("allocator_env").getAsString())
                .contains("MALLOC_ARENA_MAX=")
                .contains("MALLOC_MMAP_THRESHOLD_=")
                .contains("LD_PRELOAD=");
        assertThat(json.has("jvm_options")).isTrue();
        assertThat(json.getAsJsonObject("targets").get("fit_vs_raw").getAsString()).isEqualTo(">= 0.9700");
        assertThat(json.get("pytorch").getAsString()).startsWith("skipped: no Python with torch");
        for (String key : PYTORCH) {
            assertThat(json.has(key)).as(key + " without PyTorch").isFalse();
        }
    }

    private static final List<String> PYTORCH =
            List.of(
                    "pytorch_samples_per_second",
                    "pytorch_channels_last_samples_per_second",
                    "pytorch_evaluate_samples_per_second",
                    "pytorch_channels_last_evaluate_samples_per_second",
                    "fit_vs_pytorch",
                    "fit_vs_pytorch_channels_last",
                    "evaluate_vs_pytorch",
                    "evaluate_vs_pytorch_channels_last");

    /** The Python that has torch here, or null (CI has none: the test is skipped). */
    private static String pythonWithTorch() throws Exception {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p = new ProcessBuilder(python, "-c", "import torch, numpy").redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() == 0) {
                    return python;
                }
            } catch (java.io.IOException e) {
                // not installed
            }
        }
        return null;
    }

    @Test
    void withTorchTheBenchRunsPyTorchInTheSameRounds(@TempDir Path tmp) throws Exception {
        String python = pythonWithTorch();
        org.junit.jupiter.api.Assumptions.assumeTrue(python != null, "no Python with torch here");
        CliErrorsTest.Run r =
                CliErrorsTest.run(
                        "bench", "--data", "bundled", "--limit", "64", "--batch-size", "32",
                        "--epochs", "2", "--memory-epochs", "1", "--lr-steps", "2", "--resnet-samples", "32", "--threads", "1",
                        "--python", python,
                        "--out", tmp.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("fit / PyTorch NCHW").contains("round 2/2: PyTorch train");
        JsonObject json = JsonParser.parseString(Files.readString(tmp.resolve("bench.json"))).getAsJsonObject();
        assertThat(json.get("pytorch").getAsString()).doesNotStartWith("skipped").isNotBlank();
        for (String key : PYTORCH) {
            assertThat(json.get(key).getAsDouble()).as(key).isPositive();
        }
        assertThat(json.getAsJsonArray("pytorch_samples_per_second_runs")).hasSize(2);
        assertThat(json.getAsJsonObject("targets").get("fit_vs_pytorch").getAsString()).isEqualTo(">= 1.150");
        // paired: the median of the two rounds' own ratios
        List<Double> fit = doubles(json, "fit_samples_per_second_runs");
        List<Double> torch = doubles(json, "pytorch_samples_per_second_runs");
        double paired = (fit.get(0) / torch.get(0) + fit.get(1) / torch.get(1)) / 2;
        assertThat(json.get("fit_vs_pytorch").getAsDouble()).isCloseTo(paired, within(1e-9));
    }

    private static List<Double> doubles(JsonObject json, String key) {
        List<Double> out = new java.util.ArrayList<>();
        json.getAsJsonArray(key).forEach(e -> out.add(e.getAsDouble()));
        return out;
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
}
