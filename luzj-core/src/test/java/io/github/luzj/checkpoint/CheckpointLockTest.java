package io.github.luzj.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointLockTest {

    @Test
    void aLockFileThatIsALinkIsRefusedAndWhatItLeadsToIsUntouched(@TempDir Path tmp) throws Exception {
        Path victim = Files.writeString(tmp.resolve("victim.txt"), "the user's file");
        Path ck = Files.createDirectories(tmp.resolve("ck"));
        Files.createSymbolicLink(ck.resolve(CheckpointLock.FILE), victim);
        assertThatThrownBy(() -> CheckpointLock.acquire(ck))
                .isExactlyInstanceOf(LuzjException.class)
                .hasMessageContaining("is a symbolic link, where luzj keeps its lock file")
                .hasMessageContaining("delete the link");
        assertThat(victim).hasContent("the user's file");
    }

    @Test
    void twoSpellingsOfOneFolderAreOneLockInTheFolderWritten(@TempDir Path tmp) throws Exception {
        Path ck = Files.createDirectories(tmp.resolve("ck"));
        Path sub = Files.createDirectories(tmp.resolve("elsewhere/sub"));
        Files.createDirectories(tmp.resolve("x"));
        Files.createSymbolicLink(tmp.resolve("x/link"), sub);
        // x/link/../ck is elsewhere/ck to the operating system; x/ck to Path.normalize()
        Path viaLink = tmp.resolve("x/link/../ck");
        Files.createSymbolicLink(tmp.resolve("elsewhere/ck"), ck);
        try (CheckpointLock first = CheckpointLock.acquire(ck);
                CheckpointLock second = CheckpointLock.acquire(viaLink)) {
            assertThat(ck.resolve(CheckpointLock.FILE)).isRegularFile();
            assertThat(tmp.resolve("x/ck")).doesNotExist();
        }
    }
}
