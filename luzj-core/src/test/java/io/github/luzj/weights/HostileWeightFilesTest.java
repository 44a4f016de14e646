package io.github.luzj.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.luzj.base.LuzjException;
import io.github.luzj.transfer.Transfer;
import io.github.luzj.base.TorchScriptArchive;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The damaged and hostile weight files of the fuzz corpus, each failing with the message that
 * names its problem (the fuzz tests only check that nothing but a LuzjException escapes).
 */
class HostileWeightFilesTest {

    @TempDir Path tmp;

    private static Path seed(String corpus, String name) {
        try {
            return Path.of(HostileWeightFilesTest.class
                    .getResource(corpus + "FuzzTestInputs/readsOrRefuses/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private AbstractThrowableAssert<?, ? extends Throwable> pth(String name) throws IOException {
        byte[] bytes = Files.readAllBytes(seed("PthReader", name));
        Path file = tmp.resolve(name + ".pth");
        if (bytes[0] == 'P' && bytes[1] == 'K') {
            Files.write(file, bytes);
        } else {
            PthReaderFuzzTest.writeArchive(file, bytes);
        }
        return assertThatThrownBy(() -> WeightFiles.read(file)).isInstanceOf(LuzjException.class);
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> safetensors(String name) {
        Path file = seed("Safetensors", name);
        return assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(LuzjException.class);
    }

    @Test
    void validSeedsRead() throws IOException {
        Path pth = tmp.resolve("valid.pth");
        PthReaderFuzzTest.writeArchive(pth, Files.readAllBytes(seed("PthReader", "valid-state-dict")));
        StateDict sd = WeightFiles.read(pth);
        assertThat(sd.get("w").tensor().data()).startsWith(0f, 1f, 2f).hasSize(16);
        assertThat(sd.get("b").tensor().data()).containsExactly(12f, 13f, 14f, 15f);
        Path transposed = tmp.resolve("t.pth");
        PthReaderFuzzTest.writeArchive(transposed, Files.readAllBytes(seed("PthReader", "transposed-view")));
        assertThat(WeightFiles.read(transposed).get("w").tensor().data()).startsWith(0f, 4f, 8f, 12f, 1f);
        assertThat(WeightFiles.read(seed("PthReader", "archive-valid")).size()).isEqualTo(2);
        assertThat(Safetensors.read(seed("Safetensors", "valid")).get("a").tensor().data())
                .containsExactly(1f, 2f, 3f, 4f);
        StateDict two = Safetensors.read(seed("Safetensors", "valid-two-dtypes"));
        assertThat(two.get("a").tensor().data()).containsExactly(1f, -2f);
        assertThat(two.get("b").tensor().data()).containsExactly(7f);
    }

    @Test
    void forgedPickleLengthsAndShapesAreRefusedBeforeAllocating() throws IOException {
        pth("binunicode-length-ffffffff").hasMessageContaining("malformed data.pkl")
                .hasMessageContaining("a string of 4294967295 bytes");
        pth("binstring-negative-length").hasMessageContaining("a string of -5 bytes");
        pth("negative-size").hasMessageContaining("shape [-1, 4] with a negative dimension");
        pth("negative-stride").hasMessageContaining("stride [-4, 1]");
        pth("size-stride-mismatch").hasMessageContaining("must pair up");
        pth("huge-size-overflow").hasMessageContaining("has more than 2,147,483,639 elements");
        pth("view-past-storage").hasMessageContaining("reaches element 16 of a storage of 16");
        pth("storage-numel-huge").hasMessageContaining("the archive lists 64 bytes");
        pth("storage-numel-over-array-limit").hasMessageContaining("storage archive/data/0 of shape [2147483647] has more than");
        pth("storage-numel-negative").hasMessageContaining("declares -3 elements");
        pth("missing-storage").hasMessageContaining("which the archive lacks");
        pth("list-key").hasMessageContaining("a dict key that is a tuple or list");
        pth("self-containing-list").hasMessageContaining("a dict key that is a tuple or list");
        pth("empty-stack-pop").hasMessageContaining("truncated or malformed data.pkl");
        pth("truncated").hasMessageContaining("truncated or malformed data.pkl");
        pth("not-flat-checkpoint").hasMessageContaining("not a flat state_dict: key epoch");
        pth("malicious-os-system").hasMessageContaining("refusing to unpickle")
                .hasMessageContaining("os.system");
    }

    @Test
    void zipBombsAndDamagedArchivesNameTheCap() throws IOException {
        pth("zip-bomb-pickle").hasMessageContaining("inflates to more than 33,554,432 bytes")
                .hasMessageContaining("zip bomb");
        pth("zip-bomb-byteorder").hasMessageContaining("inflates to more than 64 bytes");
        pth("archive-storage-too-long").hasMessageContaining("(64 bytes) but the archive lists 128");
        pth("archive-big-endian").hasMessageContaining("big-endian");
        pth("archive-without-pickle").hasMessageContaining("without data.pkl");
        pth("not-a-zip").hasMessageContaining("not a readable zip archive");
    }

    @Test
    void storagesLongerThanDeclaredAreCaughtWhileStreaming() throws IOException {
        // a deflated entry does not list its size in the local header: the stream itself is checked
        Path file = tmp.resolve("long.pth");
        byte[] pickle = Files.readAllBytes(seed("PthReader", "valid-state-dict"));
        deflated(file, "archive/data.pkl", pickle, "archive/data/0", new byte[64 + 4]);
        assertThatThrownBy(() -> WeightFiles.read(file)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("storage archive/data/0");
    }

    @Test
    void safetensorsIsValidatedAsTheReferenceDoes() {
        safetensors("offsets-abc").hasMessageContaining("data_offsets holds \"abc\", not a non-negative integer");
        safetensors("offsets-nan").hasMessageContaining("is not valid JSON");
        safetensors("offset-half").hasMessageContaining("data_offsets holds 0.5");
        safetensors("shape-string").hasMessageContaining("shape holds \"4\"");
        safetensors("shape-fraction").hasMessageContaining("shape holds 4.7");
        safetensors("overlapping").hasMessageContaining("must be contiguous and must not overlap");
        safetensors("gap").hasMessageContaining("the previous tensor ends at 0");
        safetensors("trailing-bytes").hasMessageContaining("(trailing bytes)");
        safetensors("tensor-2gib").hasMessageContaining("is truncated: tensor 'a' needs data bytes 0..2147483648");
        safetensors("tensor-elements-overflow").hasMessageContaining("has more than 2,147,483,639 elements");
        safetensors("unknown-dtype").hasMessageContaining("dtype F8_E4M3, which luzj cannot read");
        safetensors("header-length-huge").hasMessageContaining("header length of 9223372036854775807");
        safetensors("header-not-utf8").hasMessageContaining("not UTF-8");
        safetensors("header-deep-nesting").hasMessageContaining("not valid JSON");
        safetensors("metadata-not-strings").hasMessageContaining("__metadata__ is not an object of strings");
        safetensors("repeated-name").hasMessageContaining("the name 'a' appears twice in one object");
    }

    @Test
    void aHeaderOverTheReferenceLimitIsNamed() throws IOException {
        Path file = tmp.resolve("big-header.safetensors");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(100_000_008L).array());
            f.setLength(8 + 100_000_008L); // sparse: no disk used
        }
        assertThatThrownBy(() -> Safetensors.read(file)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("over the format's limit of 100,000,000 bytes");
    }

    @Test
    void aTensorOfMoreThanTwoGibibytesIsReadWithLongOffsets() throws IOException {
        // 2^28 + 16 F64 values: 2 GiB + 128 bytes of data, after a small first tensor
        long n = (1L << 28) + 16;
        String header = "{\"first\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]},"
                + "\"big\":{\"dtype\":\"F64\",\"shape\":[" + n + "],\"data_offsets\":[8," + (8 + 8 * n) + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        Path file = tmp.resolve("big.safetensors");
        long dataStart = 8 + h.length;
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).array());
            f.write(h);
            f.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            f.setLength(dataStart + 8 + 8 * n); // sparse zeros
            f.seek(dataStart + 8 + 8 * (n - 1)); // the last value, past 2^31 bytes
            f.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(2.5).array());
        }
        try {
            StateDict sd = Safetensors.read(file);
            float[] big = sd.get("big").tensor().data();
            assertThat(big).hasSize((int) n);
            assertThat(big[big.length - 1]).isEqualTo(2.5f);
            assertThat(big[0]).isZero();
            assertThat(sd.get("first").tensor().data()).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        } finally {
            Files.delete(file);
        }
    }

    @Test
    void theMemoryBudgetIsNamedWithTheFix() {
        TensorLimits limits = new TensorLimits(Path.of("w.safetensors"), 1000);
        limits.reserve("tensor 'a'", 600);
        assertThatThrownBy(() -> limits.reserve("tensor 'b'", 600))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("by tensor 'b'")
                .hasMessageContaining("run java with a larger -Xmx");
    }

    @Test
    void directoriesAndSymlinkLoopsAreNamed() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("weights.safetensors"));
        assertThatThrownBy(() -> WeightFiles.read(dir)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a directory, not a file");
        Path loop = tmp.resolve("loop.pth");
        Files.createSymbolicLink(loop, loop);
        assertThatThrownBy(() -> WeightFiles.read(loop)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a symlink loop");
        Path broken = tmp.resolve("broken.pth");
        Files.createSymbolicLink(broken, tmp.resolve("gone"));
        assertThatThrownBy(() -> WeightFiles.read(broken)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("is a broken symbolic link");
    }

    @Test
    void torchScriptArchivesAreCheckedBeforeLibtorchSeesThem() throws IOException {
        Path bomb = tmp.resolve("bomb.pt");
        deflated(bomb, "m/code/__torch__.py", "x".getBytes(StandardCharsets.US_ASCII),
                "m/data.pkl", new byte[4 << 20]);
        // rewrite the central directory's size of data.pkl to 1 MB: the stream then inflates past it
        byte[] b = Files.readAllBytes(bomb);
        int cen = lastIndexOf(b, new byte[] {'P', 'K', 1, 2});
        ByteBuffer.wrap(b, cen + 24, 4).order(ByteOrder.LITTLE_ENDIAN).putInt(1 << 20);
        Files.write(bomb, b);
        assertThatThrownBy(() -> TorchScriptArchive.check(bomb)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("inflates past the 1,048,576 bytes it declares");
        Path stateDict = seed("PthReader", "archive-valid");
        assertThatThrownBy(() -> TorchScriptArchive.check(stateDict)).isInstanceOf(LuzjException.class)
                .hasMessageContaining("without a code/ folder");
        Path text = Files.writeString(tmp.resolve("model.pt"), "not a zip");
        assertThatThrownBy(() -> Transfer.torchScript(text, 10)).isInstanceOf(LuzjException.class)
                .hasMessageContaining(": not a readable zip archive");
    }

    /** A zip of deflated entries, whose local headers do not list their sizes. */
    private static void deflated(Path file, String name1, byte[] data1, String name2, byte[] data2)
            throws IOException {
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new java.util.zip.ZipEntry(name1));
            zip.write(data1);
            zip.putNextEntry(new java.util.zip.ZipEntry(name2));
            zip.write(data2);
            zip.closeEntry();
        }
    }

    private static int lastIndexOf(byte[] hay, byte[] needle) {
        for (int i = hay.length - needle.length; i >= 0; i--) {
            boolean match = true;
            for (int j = 0; j < needle.length && match; j++) {
                match = hay[i + j] == needle[j];
            }
            if (match) {
                return i;
            }
        }
        return -1;
    }
}
