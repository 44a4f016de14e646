package io.github.luzj.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A command's outputs appear as a set: all new, or all as before. */
class OutputSetTest {

    @TempDir Path tmp;

    private Path previousRun() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out"));
        Files.writeString(out.resolve("history.csv"), "old history");
        Files.writeString(out.resolve("summary.json"), "old summary");
        Files.writeString(out.resolve("notes.txt"), "the user's own file");
        Files.writeString(out.resolve(OutputSet.MANIFEST), "{\"files\": [\"history.csv\", \"summary.json\"]}\n");
        return out;
    }

    private void assertNoStagingLeft() throws IOException {
        try (Stream<Path> all = Files.walk(tmp)) {
            assertThat(all.map(p -> p.getFileName().toString()))
                    .noneMatch(n -> n.contains(".staging-") || n.endsWith(".tmp"));
        }
    }

    @Test
    void aFailureMidwayLeavesThePreviousOutputsWhole() throws IOException {
        Path out = previousRun();
        assertThatThrownBy(() -> OutputSet.write(out, stage -> {
            Files.writeString(stage.resolve("history.csv"), "new history");
            throw new IOException("No space left on device");
        })).isInstanceOf(LuzjException.class)
                .hasMessageContaining("No space left on device")
                .hasMessageContaining("the previous outputs there are unchanged");
        assertThat(out.resolve("history.csv")).hasContent("old history");
        assertThat(out.resolve("summary.json")).hasContent("old summary");
        assertThat(out.resolve(OutputSet.MANIFEST)).content().contains("history.csv");
        assertNoStagingLeft();
    }

    @Test
    void aCompleteSetReplacesTheOldOneKeepsOtherFilesAndEndsWithItsManifest() throws IOException {
        Path out = previousRun();
        OutputSet.write(out, stage -> {
            Files.writeString(stage.resolve("history.csv"), "new history");
            Files.writeString(stage.resolve("summary.json"), "new summary");
            Files.createDirectories(stage.resolve("baseline"));
            Files.writeString(stage.resolve("baseline/summary.json"), "baseline");
        });
        assertThat(out.resolve("history.csv")).hasContent("new history");
        assertThat(out.resolve("summary.json")).hasContent("new summary");
        assertThat(out.resolve("baseline/summary.json")).hasContent("baseline");
        assertThat(out.resolve("notes.txt")).hasContent("the user's own file");
        assertThat(Files.readString(out.resolve(OutputSet.MANIFEST)))
                .contains("\"baseline/summary.json\"", "\"history.csv\"", "\"summary.json\"")
                .doesNotContain("notes.txt");
        assertThat(Files.getLastModifiedTime(out.resolve(OutputSet.MANIFEST)).toMillis())
                .isGreaterThanOrEqualTo(Files.getLastModifiedTime(out.resolve("history.csv")).toMillis());
        assertNoStagingLeft();
    }

    @Test
    void filesOfTheSameNameThatLuzjDidNotWriteAreLeftAndTheNewSetGoesBesideThem() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(out.resolve("history.csv"), "my own spreadsheet");
        Files.writeString(out.resolve("notes.txt"), "notes");
        assertThatThrownBy(() -> OutputSet.write(out, stage -> {
            Files.writeString(stage.resolve("history.csv"), "new history");
            Files.writeString(stage.resolve("summary.json"), "new summary");
        })).isInstanceOf(OutputSet.KeptAside.class)
                .hasMessageContaining(out + " already holds history.csv, which no earlier luzj run wrote there")
                .hasMessageContaining("this run's outputs are in " + tmp.resolve("mine-new") + " instead")
                .extracting(e -> ((OutputSet.KeptAside) e).kept().toString())
                .isEqualTo(tmp.resolve("mine-new").toAbsolutePath().normalize().toString());
        assertThat(out.resolve("history.csv")).hasContent("my own spreadsheet");
        assertThat(out.resolve("summary.json")).doesNotExist();
        assertThat(out.resolve(OutputSet.MANIFEST)).doesNotExist();
        assertThat(tmp.resolve("mine-new/history.csv")).hasContent("new history");
        assertThat(tmp.resolve("mine-new/summary.json")).hasContent("new summary");
        assertThat(tmp.resolve("mine-new").resolve(OutputSet.MANIFEST)).content().contains("summary.json");
        assertNoStagingLeft();
    }

    @Test
    void aFolderWhereAFileGoesOrAForeignManifestChangesNothing() throws IOException {
        Path out = previousRun();
        Files.delete(out.resolve("summary.json"));
        Files.createDirectories(out.resolve("summary.json/inside"));
        assertThatThrownBy(() -> OutputSet.write(out, stage -> {
            Files.writeString(stage.resolve("history.csv"), "new history");
            Files.writeString(stage.resolve("summary.json"), "new summary");
        })).isInstanceOf(LuzjException.class).hasMessageContaining("already holds summary.json");
        assertThat(out.resolve("history.csv")).hasContent("old history"); // not half new
        Path other = Files.createDirectories(tmp.resolve("other"));
        Files.writeString(other.resolve(OutputSet.MANIFEST), "{\"mine\": 1}");
        assertThatThrownBy(() -> OutputSet.write(other, stage -> Files.writeString(stage.resolve("a.csv"), "a")))
                .isInstanceOf(LuzjException.class).hasMessageContaining("already holds " + OutputSet.MANIFEST);
        assertThat(other.resolve(OutputSet.MANIFEST)).hasContent("{\"mine\": 1}");
        assertNoStagingLeft();
    }

    @Test
    void aSmallerSetKeepsTheEarlierOnesFilesAsLuzjs() throws IOException {
        Path out = tmp.resolve("shared");
        OutputSet.write(out, stage -> Files.writeString(stage.resolve("history.csv"), "run 1"));
        OutputSet.write(out, stage -> Files.writeString(stage.resolve("schedule.csv"), "schedule"));
        // a third run writes history.csv again: still luzj's, though the last set did not write it
        OutputSet.write(out, stage -> Files.writeString(stage.resolve("history.csv"), "run 3"));
        assertThat(out.resolve("history.csv")).hasContent("run 3");
        assertThat(Files.readString(out.resolve(OutputSet.MANIFEST))).contains("history.csv", "schedule.csv");
    }

    @Test
    void aRunsOutputsAreKeptWhenTheFolderCannotTakeThem() throws IOException {
        Path dangling = Files.createSymbolicLink(tmp.resolve("gone-out"), tmp.resolve("nowhere"));
        assertThatThrownBy(() -> OutputSet.write(dangling, stage -> Files.writeString(stage.resolve("a.csv"), "a")))
                .isInstanceOf(OutputSet.KeptAside.class)
                .hasMessageContaining("this run's outputs are in " + tmp.resolve("gone-out-new"));
        assertThat(tmp.resolve("gone-out-new/a.csv")).hasContent("a");
        Path big = Files.createDirectories(tmp.resolve("big"));
        try (var f = new java.io.RandomAccessFile(big.resolve(OutputSet.MANIFEST).toFile(), "rw")) {
            f.setLength(3L << 30); // sparse: a manifest no luzj wrote, never read whole
        }
        assertThatThrownBy(() -> OutputSet.write(big, stage -> Files.writeString(stage.resolve("a.csv"), "a")))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("already holds " + OutputSet.MANIFEST);
        assertThatThrownBy(() -> OutputSet.checkWritable(Path.of("/"), "--out"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is the file system's root");
        assertNoStagingLeft();
    }

    @Test
    void aFileOrAnUnusableParentIsFoundBeforeAnyWork() throws IOException {
        Path file = Files.writeString(tmp.resolve("results"), "x");
        assertThatThrownBy(() -> OutputSet.checkWritable(file, "--out"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("--out " + file + " is a file, not a folder");
        assertThatThrownBy(() -> OutputSet.checkWritable(file.resolve("sub"), "--out"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot be created: " + file + " is a file, not a folder");
        OutputSet.checkWritable(tmp.resolve("new/deeper"), "--out");
        assertThat(tmp.resolve("new")).doesNotExist(); // checking creates nothing
        assertNoStagingLeft();
    }

    @Test
    void aReadOnlyFolderIsFoundBeforeAnyWork() throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse(
                "root".equals(System.getProperty("user.name")), "root writes everywhere");
        Path ro = Files.createDirectories(tmp.resolve("ro"));
        Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("r-xr-xr-x"));
        try {
            assertThatThrownBy(() -> OutputSet.checkWritable(ro.resolve("out"), "--out"))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("is not writable");
        } finally {
            Files.setPosixFilePermissions(ro, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        }
    }
}
