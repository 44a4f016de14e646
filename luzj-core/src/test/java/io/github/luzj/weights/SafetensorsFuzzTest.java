package io.github.luzj.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the safetensors reader with whole files. Only a {@link LuzjException} or a state dict
 * whose tensors exactly fill the data section may come out. Regression inputs:
 * {@code src/test/resources/io/github/luzj/weights/SafetensorsFuzzTestInputs/}; see
 * docs/fuzzing.md to fuzz.
 */
class SafetensorsFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readsOrRefuses(byte[] input) throws IOException {
        Path file = Files.createTempFile("luzj-fuzz-", ".safetensors");
        try {
            Files.write(file, input);
            StateDict sd = Safetensors.read(file);
            long headerLength = java.nio.ByteBuffer.wrap(input, 0, 8)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN).getLong();
            long bytes = 0;
            for (StateDict.Entry e : sd.entries().values()) {
                bytes += (long) e.tensor().size() * StoredDtype.parse(e.dtype()).bytes();
            }
            assertThat(8 + headerLength + bytes).as("tensors cover the data section").isEqualTo(input.length);
        } catch (LuzjException expected) {
            // the one way a bad file may fail
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
