package io.github.luzj.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input ends in one line on stderr and exit code 2, with nothing written. */
public class CliErrorsTest {

    public record Run(int code, String out, String err) {}

    public static Run run(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = Main.execute(args);
            return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    @Test
    void noExperimentIsAUsageErrorButHelpIsNot() {
        Run r = run();
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err().strip()).startsWith("error: no experiment given; run one of batchnorm,")
                .doesNotContain("\n");
        assertThat(run("--help").code()).isZero();
    }

    @Test
    void aMissingDataFolderIsOneLineAndExitCodeTwo(@TempDir Path tmp) {
        Path out = tmp.resolve("out");
        Run r = run("batchnorm", "--data", tmp.resolve("nowhere").toString(), "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").contains("nowhere").doesNotContain("\tat ");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void badNumbersAreNamed(@TempDir Path tmp) {
        Run r = run("batchnorm", "--data", "bundled", "--batch-size", "0", "--out", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--batch-size must be >= 1, got 0");
        r = run("batchnorm", "--data", "bundled", "--epochs", "0", "--out", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--epochs must be >= 1, got 0");
        r = run("one-cycle", "--data", "bundled", "--max-lr", "-1", "--out", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--max-lr must be a finite number > 0, got -1");
        r = run("lr-finder", "--data", "bundled", "--start-lr", "0", "--out", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("startLr must be a finite number > 0, got 0.0");
    }

    @Test
    void unknownOptionsAndBadSpecsExitWithTwo(@TempDir Path tmp) throws Exception {
        Run r = run("batchnorm", "--no-such-option");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option: '--no-such-option'");
        Path spec = tmp.resolve("bad.json");
        Files.writeString(spec, "{\"optimizer\": {\"name\": \"sgd\", \"lr\": 0.1}, \"scheduler\": {\"kind\": \"StepLR\", \"args\": {\"step_size\": 0}}, \"steps\": 5}");
        r = run("schedule", "--spec", spec.toString(), "--out", tmp.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("step_size").doesNotContain("\tat ");
        Files.writeString(spec, "not json");
        r = run("schedule", "--spec", spec.toString(), "--out", tmp.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("is not a JSON object");
        // Gson alone would train at the second lr without a word
        Files.writeString(spec, "{\"optimizer\": {\"name\": \"sgd\", \"lr\": 0.1, \"lr\": 10}, \"scheduler\": {\"kind\": \"StepLR\", \"args\": {\"step_size\": 2}}, \"steps\": 5}");
        r = run("schedule", "--spec", spec.toString(), "--out", tmp.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("the name 'lr' appears twice in one object").doesNotContain("\tat ");
    }

    @Test
    void debugShowsTheStackTrace(@TempDir Path tmp) {
        Run r = run("batchnorm", "--data", tmp.resolve("nowhere").toString(), "--debug");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("\tat ");
    }

    @Test
    void resumeWithoutACheckpointSaysHowToMakeOne(@TempDir Path tmp) {
        Run r = run("batchnorm", "--data", "bundled", "--resume", "--checkpoint-dir", tmp.toString(), "--out", tmp.resolve("o").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("no checkpoint at").contains("run once with --checkpoint-dir");
    }

    @Test
    void aLossThatTurnsNaNIsAUserErrorNamingEpochAndBatch(@TempDir Path tmp) {
        Run r = run("batchnorm", "--data", "bundled", "--limit", "512", "--valid-limit", "256",
                "--epochs", "2", "--lr", "1e30", "--quiet", "--out", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("error: the training loss is NaN at epoch 1, batch");
    }

    @Test
    void djlsOwnMnistOfflineSaysHowToGetData(@TempDir Path tmp) {
        Run r = run("batchnorm", "--data", "djl", "--out", tmp.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--data djl: DJL could not download MNIST").contains("--data bundled");
    }
}
