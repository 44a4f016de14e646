package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class IdxReaderTest {

    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"imgs-idx3-ubyte", "imgs-idx3-ubyte.gz"})
    void readsImagesPlainOrGzip(String name) throws IOException {
        byte[] pixels = IdxFiles.images(3, 4, 5);
        Path f = IdxFiles.write(dir.resolve(name),
                IdxFiles.bytes(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 5}, pixels));

        IdxData d = IdxReader.read(f, IdxReader.IMAGES_MAGIC);

        assertThat(d.dims()).containsExactly(3, 4, 5);
        assertThat(d.count()).isEqualTo(3);
        assertThat(d.itemSize()).isEqualTo(20);
        assertThat(d.data()).isEqualTo(pixels);
    }

    @Test
    void readsLabels() throws IOException {
        Path f = IdxFiles.write(dir.resolve("l.gz"),
                IdxFiles.bytes(IdxReader.LABELS_MAGIC, new int[] {4}, new byte[] {7, 0, 9, 3}));

        assertThat(IdxReader.read(f, IdxReader.LABELS_MAGIC).data()).containsExactly(7, 0, 9, 3);
    }

    @Test
    void truncatedDataNamesFileSizesAndFix() throws IOException {
        byte[] full = IdxFiles.bytes(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 5}, IdxFiles.images(3, 4, 5));
        Path f = IdxFiles.write(dir.resolve("cut.gz"), Arrays.copyOf(full, full.length - 7));

        assertThatThrownBy(() -> IdxReader.read(f, IdxReader.IMAGES_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("truncated")
                .hasMessageContaining("60 bytes of data")
                .hasMessageContaining("only 53 bytes follow")
                .hasMessageContaining("delete it so luzj downloads it again");
    }

    @Test
    void truncatedHeaderAndEmptyFile() throws IOException {
        byte[] full = IdxFiles.bytes(IdxReader.IMAGES_MAGIC, new int[] {3, 4, 5}, new byte[60]);
        Path header = IdxFiles.write(dir.resolve("header"), Arrays.copyOf(full, 9));
        Path empty = IdxFiles.write(dir.resolve("empty"), new byte[0]);

        assertThatThrownBy(() -> IdxReader.read(header, IdxReader.IMAGES_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("truncated inside its header");
        assertThatThrownBy(() -> IdxReader.read(empty, IdxReader.IMAGES_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("0 bytes, too short");
    }

    @Test
    void gzipCutMidStreamIsReported() throws IOException {
        Path whole = IdxFiles.write(dir.resolve("whole.gz"),
                IdxFiles.bytes(IdxReader.IMAGES_MAGIC, new int[] {50, 28, 28}, IdxFiles.images(50, 28, 28)));
        byte[] gz = Files.readAllBytes(whole);
        Path cut = Files.write(dir.resolve("cut-stream.gz"), Arrays.copyOf(gz, gz.length / 2));

        assertThatThrownBy(() -> IdxReader.read(cut, IdxReader.IMAGES_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(cut.toString())
                .hasMessageContaining("delete it so luzj downloads it again");
    }

    @Test
    void corruptGzipIsReported() throws IOException {
        Path whole = IdxFiles.write(dir.resolve("bad.gz"),
                IdxFiles.bytes(IdxReader.LABELS_MAGIC, new int[] {100}, IdxFiles.labels(100)));
        byte[] gz = Files.readAllBytes(whole);
        gz[gz.length - 6] ^= 0x5A; // inside the CRC32 of the trailer
        Files.write(whole, gz);

        assertThatThrownBy(() -> IdxReader.read(whole, IdxReader.LABELS_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(whole.toString())
                .hasMessageContaining("gzip");
    }

    @Test
    void wrongMagicSaysWhatWasExpected() throws IOException {
        Path labels = IdxFiles.write(dir.resolve("train-images-idx3-ubyte"),
                IdxFiles.bytes(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2}));

        assertThatThrownBy(() -> IdxReader.read(labels, IdxReader.IMAGES_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(labels.toString())
                .hasMessageContaining("magic number 0x00000801")
                .hasMessageContaining("an image file (0x00000803) was expected");
    }

    @Test
    void trailingBytesAreReported() throws IOException {
        byte[] ok = IdxFiles.bytes(IdxReader.LABELS_MAGIC, new int[] {2}, new byte[] {1, 2});
        Path f = IdxFiles.write(dir.resolve("long"), Arrays.copyOf(ok, ok.length + 3));

        assertThatThrownBy(() -> IdxReader.read(f, IdxReader.LABELS_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("bytes after the 2");
    }

    @Test
    void missingFileIsReported() {
        Path f = dir.resolve("nope.gz");
        assertThatThrownBy(() -> IdxReader.read(f, IdxReader.LABELS_MAGIC))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining(f.toString())
                .hasMessageContaining("does not exist");
    }

    @Test
    void imageAndLabelCountMismatchNamesBothFiles() throws IOException {
        IdxFiles.writeSplit(dir, Split.TRAIN, 5, true);
        IdxFiles.write(dir.resolve(Split.TRAIN.labelsFile() + ".gz"),
                IdxFiles.bytes(IdxReader.LABELS_MAGIC, new int[] {4}, IdxFiles.labels(4)));

        assertThatThrownBy(() -> Mnist.source().dir(dir).download(false).build().load(Split.TRAIN))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("train-images-idx3-ubyte.gz holds 5 images")
                .hasMessageContaining("train-labels-idx1-ubyte.gz holds 4 labels")
                .hasMessageContaining("delete both so luzj downloads them again");
    }

    @Test
    void labelOutsideTheClassesIsReported() throws IOException {
        IdxFiles.writeSplit(dir, Split.TEST, 3, false);
        IdxFiles.write(dir.resolve(Split.TEST.labelsFile()),
                IdxFiles.bytes(IdxReader.LABELS_MAGIC, new int[] {3}, new byte[] {1, 12, 3}));

        assertThatThrownBy(() -> Mnist.source().dir(dir).download(false).build().load(Split.TEST))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("label 12 of example 1 is outside 0..9");
    }

    @Test
    void wrongImageSizeIsReported() throws IOException {
        IdxFiles.writeSplit(dir, Split.TEST, 2, true);
        IdxFiles.write(dir.resolve(Split.TEST.imagesFile() + ".gz"),
                IdxFiles.bytes(IdxReader.IMAGES_MAGIC, new int[] {2, 32, 32}, new byte[2 * 32 * 32]));

        assertThatThrownBy(() -> Mnist.source().dir(dir).download(false).build().load(Split.TEST))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("images of 32x32 but MNIST images are 28x28");
    }
}
