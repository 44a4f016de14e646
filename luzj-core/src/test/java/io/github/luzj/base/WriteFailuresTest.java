package io.github.luzj.base;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A failed write's message ends with the fix for what happened, not always the permissions. */
class WriteFailuresTest {

    @Test
    void eachCauseHasItsFix() {
        assertThat(WriteFailures.fix(new ClosedByInterruptException())).contains("interrupted");
        assertThat(WriteFailures.fix(new AccessDeniedException("/x"))).isEqualTo("check that the folder is writable");
        assertThat(WriteFailures.fix(new FileSystemException("/a/b", null, "Not a directory")))
                .contains("a part of the path is a file");
        assertThat(WriteFailures.fix(new FileSystemException("/a/b", null, "File name too long")))
                .contains("too long");
        assertThat(WriteFailures.fix(new FileSystemException("/a", null, "No space left on device")))
                .contains("the disk is full");
        assertThat(WriteFailures.fix(new IOException("?"))).isEqualTo("check that the folder is writable and the disk has room");
    }

    @Test
    void aFileInThePathIsNamed(@TempDir Path dir) throws IOException {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "mine");
        assertThatThrownBy(() -> AtomicFiles.writeString(notes.resolve("out.csv"), "x"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("a part of the path is a file, not a folder");
        assertThat(notes).hasContent("mine");
        assertThatThrownBy(() -> AtomicFiles.writeString(dir.resolve("n".repeat(300)), "x"))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("too long for the file system");
    }
}
