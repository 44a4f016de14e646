package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import io.github.luzj.base.LuzjException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data file that is not a readable IDX file is reported as what it really is. */
class DataFileMessagesTest {

    @TempDir Path tmp;

    private ImageDataset loadTest(Path folder) {
        return IdxDatasetSource.builder(Mnist.SPEC).dir(folder).download(true).progress(false)
                .mirrors(java.util.List.of(java.net.URI.create("http://127.0.0.1:9/")))
                .build().load(Split.TEST);
    }

    @Test
    void aDirectoryWhereTheFileShouldBeIsNamedNotDownloaded() throws IOException {
        IdxFiles.writeSplit(tmp, Split.TEST, 3, true);
        Files.delete(tmp.resolve(Split.TEST.imagesFile() + ".gz"));
        Files.createDirectory(tmp.resolve(Split.TEST.imagesFile()));
        assertThatThrownBy(() -> loadTest(tmp)).isInstanceOf(LuzjException.class)
                .hasMessageContaining(Split.TEST.imagesFile() + " is a directory, not a file")
                .hasMessageNotContaining("download");
    }

    @Test
    void aSymlinkLoopIsNamed() throws IOException {
        IdxFiles.writeSplit(tmp, Split.TEST, 3, true);
        Path labels = tmp.resolve(Split.TEST.labelsFile() + ".gz");
        Files.delete(labels);
        Files.createSymbolicLink(labels, labels);
        assertThatThrownBy(() -> loadTest(tmp)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a symlink loop")
                .hasMessageNotContaining("download");
    }

    @Test
    void aDataFolderThatIsALoopOrAFileIsNamed() throws IOException {
        Path loop = tmp.resolve("data");
        Files.createSymbolicLink(loop, loop);
        assertThatThrownBy(() -> loadTest(loop)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("data folder " + loop + " is a symlink loop")
                .hasMessageNotContaining("download");
        Path file = Files.writeString(tmp.resolve("file"), "x");
        assertThatThrownBy(() -> loadTest(file)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("data folder " + file + " is a file, not a folder");
    }

    @Test
    void anUnreadableFileIsPermissionDeniedNotDamaged() throws IOException {
        assumeFalse("root".equals(System.getProperty("user.name")), "root reads every file");
        IdxFiles.writeSplit(tmp, Split.TEST, 3, true);
        Path images = tmp.resolve(Split.TEST.imagesFile() + ".gz");
        Files.setPosixFilePermissions(images, PosixFilePermissions.fromString("-w-------"));
        assertThatThrownBy(() -> loadTest(tmp)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("permission denied")
                .hasMessageNotContaining("damaged");
    }

    @Test
    void aDeniedReadIsNamedEvenWhenRunAsRoot() throws IOException {
        // root passes every permission check, so the failure the OS gives a user is replayed
        Path file = Files.writeString(tmp.resolve("t10k-images-idx3-ubyte"), "x");
        LuzjException e = io.github.luzj.base.InputFiles.unreadable(
                file, "IDX file", new java.nio.file.AccessDeniedException(file.toString()));
        assertThat(e).hasMessageContaining("cannot be read: permission denied (chmod u+r it)");
    }

    @Test
    void aForgedHeaderOnAShortFileIsTruncatedWithoutAllocatingItsClaim() {
        // announces 2^31 - 9 bytes of labels but holds 4: nothing of that size is allocated
        byte[] forged = ByteBuffer.allocate(12).putInt(IdxReader.LABELS_MAGIC)
                .putInt(Integer.MAX_VALUE - 8).putInt(0).array();
        assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(forged), "forged",
                        IdxReader.LABELS_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is truncated")
                .hasMessageContaining("only 4 bytes follow");
    }

    @Test
    void aZeroCountCannotHideAnOverflowingItemSize() {
        byte[] forged = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(0)
                .putInt(Integer.MAX_VALUE).putInt(Integer.MAX_VALUE).array();
        assertThatThrownBy(() -> IdxReader.read(new ByteArrayInputStream(forged), "forged",
                        IdxReader.IMAGES_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("more than a Java array can hold");
        byte[] empty = ByteBuffer.allocate(16).putInt(IdxReader.IMAGES_MAGIC).putInt(0)
                .putInt(28).putInt(28).array();
        IdxData d = IdxReader.read(new ByteArrayInputStream(empty), "empty", IdxReader.IMAGES_MAGIC);
        assertThat(d.count()).isZero();
        assertThat(d.itemSize()).isEqualTo(784);
    }
}
