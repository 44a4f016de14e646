package io.github.luzj.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * No file a user passes reaches the CLI's "unexpected failure" path (exit code 1): the fuzz
 * corpora's damaged and hostile files go to every command that takes a file, and each ends in
 * exit code 2 (or 0 for the valid ones) with one line on stderr.
 */
class HostileFilesCliTest {

    @TempDir Path tmp;

    private static final Path CORE = Path.of("..", "luzj-core", "src", "test", "resources", "io", "github", "luzj");
    private static final Path SPECS = Path.of("..", "luzj-callbacks", "src", "test", "resources", "io", "github",
            "luzj", "callbacks", "lr", "ScheduleSpecsFuzzTestInputs", "parsesAndSimulatesOrRefuses");

    private static List<Path> corpus(Path folder) throws IOException {
        try (Stream<Path> files = Files.list(folder)) {
            return files.sorted().toList();
        }
    }

    private static void assertUserError(CliErrorsTest.Run r, Path file) {
        assertThat(r.code()).as("exit code for %s: %s", file.getFileName(), r.err()).isEqualTo(2);
        assertThat(r.err()).as(file.getFileName().toString())
                .doesNotContain("unexpected failure").doesNotContain("\tat ");
        assertThat(r.err().lines().filter(l -> l.startsWith("error: ")))
                .as(file.getFileName().toString()).hasSize(1);
    }

    /** The corpus's specs that describe a schedule luzj can simulate; every other one is damaged. */
    private static final Set<String> VALID_SPECS = Set.of("cyclic", "docs-cyclic",
            "docs-one_cycle", "docs-step", "docs-warm_restarts", "docs-warmup_stable_decay", "plateau",
            "sequential",
            "warm-restarts-huge-mult");

    @Test
    void everyDamagedScheduleSpecIsAUserError() throws IOException {
        for (Path spec : corpus(SPECS)) {
            if (spec.getFileName().toString().equals("steps-1e7")) {
                continue; // legal: ten million rows, shown by ScheduleCommandTest at a smaller size
            }
            Path out = tmp.resolve("out-" + spec.getFileName());
            CliErrorsTest.Run r = CliErrorsTest.run("schedule", "--spec", spec.toString(), "--out", out.toString());
            if (VALID_SPECS.contains(spec.getFileName().toString())) {
                assertThat(r.code()).as("exit code for %s: %s", spec.getFileName(), r.err()).isZero();
                assertThat(out.resolve("schedule.csv")).isRegularFile();
            } else {
                assertUserError(r, spec);
            }
        }
        CliErrorsTest.Run dir = CliErrorsTest.run("schedule", "--spec", tmp.toString(), "--out", tmp.resolve("o").toString());
        assertUserError(dir, tmp);
        assertThat(dir.err()).contains("is a directory, not a file");
    }

    @Test
    void damagedWeightFilesAreUserErrorsInTransfer() throws IOException {
        List<String> pth = List.of("binunicode-length-ffffffff", "negative-size", "negative-stride",
                "huge-size-overflow", "self-containing-list", "malicious-os-system",
                "zip-bomb-pickle", "archive-storage-too-long", "not-a-zip", "archive-valid");
        List<String> safetensors = List.of("offsets-abc", "offset-half", "shape-string", "overlapping",
                "trailing-bytes", "tensor-2gib", "header-length-huge", "header-deep-nesting", "valid");
        for (String name : pth) {
            Path file = pth(CORE.resolve("weights/PthReaderFuzzTestInputs/readsOrRefuses").resolve(name));
            assertUserError(transfer(file), file);
        }
        for (String name : safetensors) {
            Path file = copy(CORE.resolve("weights/SafetensorsFuzzTestInputs/readsOrRefuses").resolve(name),
                    ".safetensors");
            assertUserError(transfer(file), file);
        }
        Path pt = copy(CORE.resolve("weights/PthReaderFuzzTestInputs/readsOrRefuses/archive-valid"), ".pt");
        assertUserError(transfer(pt), pt);
        Path junk = Files.writeString(tmp.resolve("junk.pt"), "PK not really");
        assertUserError(transfer(junk), junk);
    }

    @Test
    void damagedIdxFilesInADataFolderAreUserErrors() throws IOException {
        for (Path seed : corpus(CORE.resolve("data/IdxReaderFuzzTestInputs/readsOrRefuses"))) {
            Path data = Files.createDirectories(tmp.resolve("data-" + seed.getFileName()));
            for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")) {
                Files.copy(seed, data.resolve(name));
            }
            assertUserError(batchnorm(data), seed);
        }
        Path dirs = Files.createDirectories(tmp.resolve("dirs"));
        for (String name : List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte")) {
            Files.createDirectory(dirs.resolve(name));
        }
        CliErrorsTest.Run r = batchnorm(dirs);
        assertUserError(r, dirs);
        assertThat(r.err()).contains("is a directory, not a file");
    }

    @Test
    void anOutFolderThatIsAFileFailsBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("results"), "x");
        CliErrorsTest.Run r = CliErrorsTest.run("lr-finder", "--data", "bundled", "--out", file.toString());
        assertUserError(r, file);
        assertThat(r.err()).contains("--out " + file + " is a file, not a folder");
        r = CliErrorsTest.run("lr-finder", "--data", "bundled", "--steps", "2000000000", "--out", tmp.resolve("o").toString());
        assertUserError(r, file);
        assertThat(r.err()).contains("steps must be <= 1,000,000");
        r = CliErrorsTest.run("batchnorm", "--data", "bundled", "--checkpoint-dir", file.toString(),
                "--out", tmp.resolve("o").toString());
        assertUserError(r, file);
        assertThat(r.err()).contains("--checkpoint-dir " + file + " is a file, not a folder");
    }

    /** An archive seed as it is; a pickle seed as the data.pkl of an archive, as torch.save writes. */
    private Path pth(Path seed) throws IOException {
        byte[] bytes = Files.readAllBytes(seed);
        if (bytes[0] == 'P' && bytes[1] == 'K') {
            return copy(seed, ".pth");
        }
        Path file = tmp.resolve(seed.getFileName() + ".pth");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("archive/data.pkl"));
            zip.write(bytes);
            zip.putNextEntry(new java.util.zip.ZipEntry("archive/data/0"));
            zip.write(new byte[64]);
            zip.closeEntry();
        }
        return file;
    }

    private Path copy(Path seed, String extension) throws IOException {
        return Files.copy(seed, tmp.resolve(seed.getFileName() + extension));
    }

    private CliErrorsTest.Run transfer(Path weights) {
        return CliErrorsTest.run("transfer", "--weights", weights.toString(), "--data", "bundled",
                "--limit", "64", "--valid-limit", "64", "--epochs", "1", "--quiet",
                "--out", tmp.resolve("out-transfer").toString());
    }

    private CliErrorsTest.Run batchnorm(Path data) {
        return CliErrorsTest.run("batchnorm", "--data", data.toString(), "--epochs", "1", "--quiet",
                "--out", tmp.resolve("out-bn").toString());
    }
}
