package io.github.luzj.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.luzj.checkpoint.Checkpoint;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --checkpoint-dir, --resume and --overwrite: what the user saved is kept, a resume matches. */
class CheckpointCliTest {

    static final String[] TINY = {
        "--data", "bundled", "--limit", "128", "--valid-limit", "64", "--batch-size", "64",
        "--seed", "3", "--quiet", "--workers", "0"
    };

    static CliErrorsTest.Run batchnorm(Path out, Path ckpt, String... more) {
        List<String> args = new ArrayList<>(List.of("batchnorm"));
        args.addAll(List.of(TINY));
        args.addAll(List.of("--out", out.toString(), "--checkpoint-dir", ckpt.toString()));
        args.addAll(List.of(more));
        if (!args.contains("--epochs")) {
            args.addAll(List.of("--epochs", "1"));
        }
        return CliErrorsTest.run(args.toArray(new String[0]));
    }

    static void assertOneLineError(CliErrorsTest.Run r, String... parts) {
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: ").doesNotContain("\tat ").doesNotContain("Exception");
        for (String p : parts) {
            assertThat(r.err()).contains(p);
        }
    }

    @Test
    void aFreshRunKeepsAnEarlierRunsCheckpointAndAForeignFolderUntouched(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        assertThat(batchnorm(tmp.resolve("a"), ckpt).code()).isZero();
        String before = Files.readString(ckpt.resolve("last/checkpoint.json"));
        assertOneLineError(batchnorm(tmp.resolve("b"), ckpt),
                "holds a checkpoint of an earlier run (epoch 1 of 1, written at ",
                "pass --resume to continue it or --overwrite to replace it");
        assertThat(Files.readString(ckpt.resolve("last/checkpoint.json"))).isEqualTo(before);
        assertOneLineError(batchnorm(tmp.resolve("b"), ckpt, "--resume", "--overwrite"), "pass one of them");
        assertThat(batchnorm(tmp.resolve("b"), ckpt, "--overwrite").code()).isZero();
        assertThat(Files.readString(ckpt.resolve("last/checkpoint.json"))).isNotEqualTo(before);

        Path mine = Files.createDirectories(tmp.resolve("mine/last"));
        Files.writeString(mine.resolve("notes.txt"), "mine");
        assertOneLineError(batchnorm(tmp.resolve("c"), tmp.resolve("mine"), "--overwrite"),
                "holds files luzj did not write (notes.txt)");
        assertThat(mine.toFile().list()).containsExactly("notes.txt");
        Path file = Files.writeString(tmp.resolve("file"), "data");
        assertOneLineError(batchnorm(tmp.resolve("c"), file), "is a file, not a folder");
        assertThat(Files.readString(file)).isEqualTo("data");
    }

    @Test
    void aResumeWithOtherSettingsOrADamagedCheckpointIsOneClearError(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        assertThat(batchnorm(tmp.resolve("a"), ckpt).code()).isZero();
        assertOneLineError(
                batchnorm(tmp.resolve("b"), ckpt, "--resume", "--epochs", "2", "--lr", "0.5", "--no-batchnorm"),
                "settings differ", "--lr was 0.001, now 0.5", "--no-batchnorm was false, now true");
        Path meta = ckpt.resolve("last/checkpoint.json");
        String good = Files.readString(meta);
        Files.writeString(meta, good.replace("\"epochs_done\": 1", "\"epochs_done\": \"one\""));
        assertOneLineError(batchnorm(tmp.resolve("b"), ckpt, "--resume", "--epochs", "2"),
                "checkpoint " + ckpt.resolve("last") + " is damaged: epochs_done must be a whole number");
        Files.writeString(meta, good.replaceAll("\"version\": 2,", ""));
        assertOneLineError(batchnorm(tmp.resolve("b"), ckpt, "--resume", "--epochs", "2"),
                "is damaged: version is missing");
        Files.writeString(meta, good);
        assertThat(batchnorm(tmp.resolve("b"), ckpt, "--resume", "--epochs", "2").code()).isZero();
        assertThat(Checkpoint.info(ckpt.resolve("last")).position().epochsDone()).isEqualTo(2);
    }

    @Test
    void aSecondRunOnAFolderInUseNamesTheOtherProcess(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("ckpt");
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"), "-Xmx1g",
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"),
                Main.class.getName(), "batchnorm"));
        cmd.addAll(List.of(TINY));
        cmd.addAll(List.of("--epochs", "1", "--out", tmp.resolve("first").toString(), "--checkpoint-dir", ckpt.toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().put("LUZJ_CHECKPOINT_PAUSE", "weights"); // holds the lock, paused
        Process first = pb.start();
        try (BufferedReader err = new BufferedReader(
                new InputStreamReader(first.getErrorStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = err.readLine()) != null && !line.startsWith("luzj-checkpoint-paused"); ) {
                // wait for the first run to be inside its checkpoint write
            }
            assertOneLineError(batchnorm(tmp.resolve("second"), ckpt, "--overwrite"),
                    "is in use by another run (process " + first.pid());
        } finally {
            first.destroyForcibly();
            first.waitFor(30, TimeUnit.SECONDS);
        }
        // the dead process's lock is gone with it
        assertThat(batchnorm(tmp.resolve("third"), ckpt).code()).isZero();
    }

    @Test
    void everyTrainingCommandTwiceWithTheSameSeedWritesTheSameHistory(@TempDir Path tmp) throws Exception {
        String fixtures = System.getenv("LUZJ_FIXTURES");
        Path weights = (fixtures != null ? Path.of(fixtures)
                : Path.of("").toAbsolutePath().resolve("../../shared/fixtures").normalize())
                .resolve("resnet18/resnet18.safetensors");
        List<List<String>> commands = List.of(
                List.of("batchnorm"),
                List.of("one-cycle"),
                // the new head is created before the fit: it must be seeded too
                List.of("transfer", "--weights", weights.toString()));
        for (List<String> command : commands) {
            List<String> histories = new ArrayList<>();
            for (String run : List.of("one", "two")) {
                Path out = tmp.resolve(command.get(0) + "-" + run);
                List<String> args = new ArrayList<>(command);
                args.addAll(List.of(TINY));
                args.addAll(List.of("--epochs", "1", "--out", out.toString()));
                CliErrorsTest.Run r = CliErrorsTest.run(args.toArray(new String[0]));
                assertThat(r.code()).as(r.err()).isZero();
                histories.add(Files.readString(out.resolve("history.csv")));
            }
            assertThat(histories.get(1)).as(command.get(0)).isEqualTo(histories.get(0));
        }
    }
}
