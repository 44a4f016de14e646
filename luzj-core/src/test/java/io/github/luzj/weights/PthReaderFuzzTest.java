package io.github.luzj.weights;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Fuzzes the {@code .pth} reader: an input starting with {@code PK} is the whole archive, any
 * other is the {@code data.pkl} of an archive that also holds a little-endian byteorder and a
 * 16-float storage {@code data/0}, so that the mutations reach the unpickler and the tensor
 * views. Only a {@link LuzjException} or a state dict may come out. Regression inputs:
 * {@code src/test/resources/io/github/luzj/weights/PthReaderFuzzTestInputs/}; see
 * docs/fuzzing.md to fuzz.
 */
class PthReaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readsOrRefuses(byte[] input) throws IOException {
        Path file = Files.createTempFile("luzj-fuzz-", ".pth");
        try {
            if (input.length >= 2 && input[0] == 'P' && input[1] == 'K') {
                Files.write(file, input);
            } else {
                writeArchive(file, input);
            }
            StateDict sd = WeightFiles.read(file);
            sd.entries().values().forEach(e -> e.tensor().size());
        } catch (LuzjException expected) {
            // the one way a bad file may fail
        } finally {
            Files.deleteIfExists(file);
        }
    }

    static void writeArchive(Path file, byte[] pickle) throws IOException {
        ByteBuffer storage = ByteBuffer.allocate(64).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < 16; i++) {
            storage.putFloat(i);
        }
        try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
            entry(zip, "archive/data.pkl", pickle);
            entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            entry(zip, "archive/data/0", storage.array());
        }
    }

    private static void entry(ZipOutputStream zip, String name, byte[] data) throws IOException {
        zip.putNextEntry(new ZipEntry(name));
        zip.write(data);
        zip.closeEntry();
    }
}
