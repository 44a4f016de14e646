package io.github.luzj.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import io.github.luzj.base.LuzjException;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.testing.SafetensorsFiles;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsReaderTest {

    @TempDir Path tmp;

    @Test
    void readsTheTorchvisionStateDictLikeDjlsOwnDecoder() throws IOException {
        StateDict sd = Safetensors.read(ResnetFixtures.safetensors());
        assertThat(sd.size()).isEqualTo(122);
        assertThat(sd.names()).startsWith("conv1.weight", "bn1.weight").contains("fc.bias",
                "layer2.0.downsample.0.weight", "layer1.0.bn1.running_mean");
        assertThat(sd.get("conv1.weight").tensor().shape()).containsExactly(64, 3, 7, 7);
        assertThat(sd.get("bn1.num_batches_tracked").dtype()).isEqualTo("I64");
        assertThat(sd.entries().values().stream().filter(e -> e.dtype().equals("F32")).count())
                .isEqualTo(102);
        // an independent reader: DJL's NDList.decode understands safetensors too
        try (NDManager manager = NDManager.newBaseManager()) {
            NDList djl = NDList.decode(manager, Files.readAllBytes(ResnetFixtures.safetensors()));
            assertThat(djl).hasSize(122);
            for (NDArray a : djl) {
                StateDict.Entry mine = sd.get(a.getName());
                assertThat(mine.tensor().shape()).as(a.getName())
                        .containsExactly(a.getShape().getShape());
                float[] expected = a.toType(ai.djl.ndarray.types.DataType.FLOAT32, false)
                        .toFloatArray();
                assertThat(Arrays.equals(mine.tensor().data(), expected)).as(a.getName()).isTrue();
            }
        }
    }

    @Test
    void decodesHalfBfloatAndIntegerTensors() throws IOException {
        Map<String, SafetensorsFiles.Raw> t = new LinkedHashMap<>();
        // 1, -2, 65504 (max), 2^-24 (smallest subnormal), +inf
        t.put("half", SafetensorsFiles.shorts("F16", new long[] {5}, 0x3C00, 0xC000, 0x7BFF,
                0x0001, 0x7C00));
        t.put("bfloat", SafetensorsFiles.shorts("BF16", new long[] {2}, 0x3F80, 0xBF00));
        ByteBuffer longs = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putLong(7)
                .putLong(-3);
        t.put("count", new SafetensorsFiles.Raw("I64", new long[] {2}, longs.array()));
        t.put("scalar", new SafetensorsFiles.Raw("I64", new long[0],
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(12).array()));
        Path file = tmp.resolve("small.safetensors");
        SafetensorsFiles.write(file, t);

        StateDict sd = Safetensors.read(file);
        assertThat(sd.names()).containsExactly("half", "bfloat", "count", "scalar");
        assertThat(sd.get("half").tensor().data())
                .containsExactly(1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY);
        assertThat(sd.get("bfloat").tensor().data()).containsExactly(1f, -0.5f);
        assertThat(sd.get("count").tensor().data()).containsExactly(7f, -3f);
        assertThat(sd.get("scalar").tensor().shape()).isEmpty();
    }

    @Test
    void truncatedFileIsReportedWithTheTensorThatIsCut() throws IOException {
        byte[] all = Files.readAllBytes(ResnetFixtures.safetensors());
        Path cut = tmp.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(all, all.length - 100));
        assertThatThrownBy(() -> Safetensors.read(cut))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is truncated")
                .hasMessageContaining("tensor 'fc.bias'");
    }

    @Test
    void otherFileTypesAreRejectedClearly() throws IOException {
        Path npz = ResnetFixtures.dir().resolve("reference.npz");
        assertThatThrownBy(() -> Safetensors.read(npz))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is not a safetensors file")
                .hasMessageContaining("zip archive");
        Path text = Files.writeString(tmp.resolve("notes.safetensors"), "these are not weights");
        assertThatThrownBy(() -> Safetensors.read(text))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("is not a safetensors file");
        Path tiny = Files.write(tmp.resolve("tiny.safetensors"), new byte[] {1, 2, 3});
        assertThatThrownBy(() -> Safetensors.read(tiny))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("only 3 bytes");
        assertThatThrownBy(() -> Safetensors.read(tmp.resolve("missing.safetensors")))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("does not exist");
    }

    @Test
    void unsupportedDtypeAndInconsistentOffsetsAreNamed() throws IOException {
        Path complex = tmp.resolve("complex.safetensors");
        SafetensorsFiles.write(complex, Map.of("z", new SafetensorsFiles.Raw("C64",
                new long[] {1}, new byte[8])));
        assertThatThrownBy(() -> Safetensors.read(complex))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("tensor 'z' as dtype C64");
        Path wrongSpan = tmp.resolve("span.safetensors");
        SafetensorsFiles.write(wrongSpan, Map.of("w", new SafetensorsFiles.Raw("F32",
                new long[] {3}, new byte[8])));
        assertThatThrownBy(() -> Safetensors.read(wrongSpan))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("tensor 'w'")
                .hasMessageContaining("needs 12 bytes");
    }
}
