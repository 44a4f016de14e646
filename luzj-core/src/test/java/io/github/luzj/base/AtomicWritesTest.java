package io.github.luzj.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write that fails midway leaves what was there before, and no debris. */
class AtomicWritesTest {

    @Test
    void aFolderAsTheTargetIsNamed(@TempDir Path dir) {
        assertThatThrownBy(() -> AtomicFiles.writeString(dir, "x"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("it is a folder; pass the path of a file");
        assertThat(dir).isEmptyDirectory();
    }

    @Test
    void aNullPathIsNamed() {
        assertThatThrownBy(() -> AtomicFiles.writeString(null, "x"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the file to write is null");
    }

    @Test
    void aFolderWriteThatFailsMidwayKeepsTheOldFolder(@TempDir Path tmp) throws Exception {
        Path ckpt = tmp.resolve("last");
        AtomicFiles.writeDirectory(ckpt, d -> Files.writeString(d.resolve("checkpoint.json"), "old"));
        assertThatThrownBy(
                        () ->
                                AtomicFiles.writeDirectory(
                                        ckpt,
                                        d -> {
                                            Files.writeString(d.resolve("checkpoint.json"), "new, half");
                                            throw new IOException("disk full");
                                        }))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("cannot write folder")
                .hasMessageContaining("disk full");
        assertThat(Files.readString(ckpt.resolve("checkpoint.json"))).isEqualTo("old");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("last");
        }
    }

    @Test
    void aFolderNamedThroughDotDotIsTheFolderItNames(@TempDir Path tmp) throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a").resolve("x")).getParent();
        AtomicFiles.writeDirectory(a.resolve("x").resolve(".."), d -> Files.writeString(d.resolve("f"), "new"));
        assertThat(a.resolve("f")).hasContent("new");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("a");
        }
        assertThatThrownBy(() -> AtomicFiles.writeDirectory(Path.of("/"), d -> { }))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the file system's root");
    }

    @Test
    void aFileWriteThatFailsMidwayKeepsTheOldFileAndItsPermissions(@TempDir Path tmp) throws Exception {
        Path csv = tmp.resolve("history.csv");
        AtomicFiles.writeString(csv, "epoch\n1\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(csv))).isEqualTo("rw-r--r--");
        assertThatThrownBy(
                        () ->
                                AtomicFiles.write(
                                        csv,
                                        p -> {
                                            Files.writeString(p, "epo");
                                            throw new IOException("killed");
                                        }))
                .isInstanceOf(LuzjException.class);
        assertThat(Files.readString(csv)).isEqualTo("epoch\n1\n");
        try (Stream<Path> left = Files.list(tmp)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactly("history.csv");
        }
    }

    @Test
    void aPathIsResolvedAsTheOperatingSystemFollowsIt(@TempDir Path tmp) throws Exception {
        Path real = tmp.toRealPath();
        Path sub = Files.createDirectories(tmp.resolve("a/b"));
        Files.createSymbolicLink(tmp.resolve("link"), sub);
        assertThat(AtomicFiles.resolved(tmp.resolve("link/../new/./x"))).isEqualTo(real.resolve("a/new/x"));
        assertThat(AtomicFiles.resolved(tmp.resolve("a/b/.."))).isEqualTo(real.resolve("a"));
        assertThat(AtomicFiles.resolved(Path.of("."))).isEqualTo(Path.of("").toRealPath());
        assertThatThrownBy(() -> AtomicFiles.resolved(tmp.resolve("a/missing/../b")))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("goes up with '..' from " + real.resolve("a/missing"));
    }
}
