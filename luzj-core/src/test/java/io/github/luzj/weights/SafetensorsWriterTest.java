package io.github.luzj.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import io.github.luzj.testing.ResnetFixtures;
import io.github.luzj.vision.models.ResNet18;
import io.github.luzj.vision.models.ResNet18StateDict;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SafetensorsWriterTest {

    @TempDir Path tmp;

    /** A 10-class network with random weights and random BatchNorm statistics, as after training. */
    private static ResNet18 trainedLooking(NDManager manager, int classes) {
        Engine.getInstance().setRandomSeed(11);
        ResNet18 net = ResNet18.create(classes);
        net.initialize(manager, DataType.FLOAT32, new Shape(1, 3, 28, 28));
        for (Parameter p : net.getParameters().values()) {
            NDArray a = p.getArray();
            NDArray r = switch (p.getType()) {
                case RUNNING_VAR -> manager.randomUniform(0.5f, 2f, a.getShape());
                case RUNNING_MEAN, GAMMA, BETA -> manager.randomUniform(-0.5f, 0.5f, a.getShape());
                default -> null;
            };
            if (r != null) {
                a.set(r.toFloatArray());
                r.close();
            }
        }
        return net;
    }

    @Test
    void aWrittenNetworkLoadsBackWithBitwiseEqualWeightsAndOutputs() {
        Path file = tmp.resolve("net.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet18 net = trainedLooking(manager, 10);
            SafetensorsWriter.write(ResNet18StateDict.of(net, 37), file);

            ResNet18 back = ResNet18.pretrained(file, manager);
            assertThat(back.classes()).isEqualTo(10);
            Map<String, Parameter> expected = net.torchvisionParameters();
            Map<String, Parameter> actual = back.torchvisionParameters();
            assertThat(actual.keySet()).containsExactlyElementsOf(expected.keySet());
            for (String name : expected.keySet()) {
                assertThat(Arrays.equals(
                                actual.get(name).getArray().toFloatArray(),
                                expected.get(name).getArray().toFloatArray()))
                        .as(name)
                        .isTrue();
            }
            NDArray x = manager.randomUniform(0f, 1f, new Shape(4, 3, 28, 28));
            float[] before = forward(net, manager, x);
            float[] after = forward(back, manager, x);
            assertThat(before).hasSize(40);
            assertThat(Arrays.equals(after, before)).isTrue();
        }
    }

    private static float[] forward(ResNet18 net, NDManager manager, NDArray x) {
        ParameterStore ps = new ParameterStore(manager, false);
        return net.forward(ps, new NDList(x), false).head().toFloatArray();
    }

    @Test
    void theStateDictHasTorchvisionsNamesOrderShapesAndDtypes() {
        StateDict torchvision = Safetensors.read(ResnetFixtures.safetensors());
        try (NDManager manager = NDManager.newBaseManager()) {
            StateDict mine = ResNet18StateDict.of(trainedLooking(manager, 1000), 5);
            assertThat(mine.names()).containsExactlyElementsOf(torchvision.names());
            for (String name : torchvision.names()) {
                assertThat(mine.get(name).dtype()).as(name).isEqualTo(torchvision.get(name).dtype());
                assertThat(mine.get(name).tensor().shape())
                        .as(name)
                        .containsExactly(torchvision.get(name).tensor().shape());
            }
            assertThat(mine.get("layer3.1.bn2.num_batches_tracked").tensor().data())
                    .containsExactly(5f);
        }
    }

    @Test
    void djlsOwnDecoderReadsTheFileWithInt64Counters() throws IOException {
        Path file = tmp.resolve("net.safetensors");
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet18 net = trainedLooking(manager, 10);
            SafetensorsWriter.write(ResNet18StateDict.of(net), file);
            NDList djl = NDList.decode(manager, Files.readAllBytes(file));
            assertThat(djl).hasSize(122);
            long counters = 0;
            Map<String, Parameter> params = net.torchvisionParameters();
            for (NDArray a : djl) {
                if (a.getName().endsWith(".num_batches_tracked")) {
                    assertThat(a.getDataType()).isEqualTo(DataType.INT64);
                    assertThat(a.getShape().dimension()).isZero();
                    assertThat(a.getLong()).isZero();
                    counters++;
                } else {
                    assertThat(a.getDataType()).isEqualTo(DataType.FLOAT32);
                    assertThat(Arrays.equals(a.toFloatArray(),
                                    params.get(a.getName()).getArray().toFloatArray()))
                            .as(a.getName())
                            .isTrue();
                }
            }
            assertThat(counters).isEqualTo(20);
        }
    }

    @Test
    void theLayoutIsWhatSafetensorsValidates() throws IOException {
        Path file = tmp.resolve("fixture-copy.safetensors");
        StateDict fixture = Safetensors.read(ResnetFixtures.safetensors());
        SafetensorsWriter.write(fixture, Map.of("source", "a test"), file);

        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = b.getLong();
        assertThat(headerLength % 8).isZero();
        JsonObject header = JsonParser.parseString(
                        new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8).trim())
                .getAsJsonObject();
        assertThat(header.getAsJsonObject("__metadata__").get("format").getAsString())
                .isEqualTo("pt");
        assertThat(header.getAsJsonObject("__metadata__").get("source").getAsString())
                .isEqualTo("a test");
        // contiguous byte ranges covering the data section, each aligned to its element size
        List<long[]> ranges = new ArrayList<>();
        header.entrySet().stream()
                .filter(e -> !e.getKey().equals("__metadata__"))
                .forEach(e -> {
                    JsonObject o = e.getValue().getAsJsonObject();
                    long begin = o.getAsJsonArray("data_offsets").get(0).getAsLong();
                    long end = o.getAsJsonArray("data_offsets").get(1).getAsLong();
                    int size = StoredDtype.parse(o.get("dtype").getAsString()).bytes();
                    assertThat(begin % size).as(e.getKey()).isZero();
                    ranges.add(new long[] {begin, end});
                });
        ranges.sort((x, y) -> Long.compare(x[0], y[0]));
        long next = 0;
        for (long[] r : ranges) {
            assertThat(r[0]).isEqualTo(next);
            next = r[1];
        }
        assertThat(next).isEqualTo(bytes.length - 8 - headerLength);

        StateDict back = Safetensors.read(file);
        assertThat(back.names()).containsExactlyElementsOf(fixture.names());
        for (String name : fixture.names()) {
            assertThat(back.get(name).dtype()).isEqualTo(fixture.get(name).dtype());
            assertThat(Arrays.equals(back.get(name).tensor().data(),
                            fixture.get(name).tensor().data()))
                    .as(name)
                    .isTrue();
        }
    }

    @Test
    void everyDtypeRoundTripsAndHalfPrecisionRoundsToNearestEven() {
        Map<String, StateDict.Entry> in = new LinkedHashMap<>();
        float[] halves = {1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY,
                65520f,              // halfway to the next binade: rounds up, to infinity
                1f + 0x1p-11f,       // a tie: to the even 1
                1f + 3 * 0x1p-11f,   // a tie: to the even 1 + 2^-9
                0x1p-25f,            // a tie with 0 below the smallest subnormal: to 0
                3 * 0x1p-25f,        // a tie between subnormals 2^-24 and 2^-23: to 2^-23
                -0f};
        in.put("half", entry("F16", halves));
        in.put("bfloat", entry("BF16", 1f, -0.5f, 1f + 0x1p-8f, 1f + 3 * 0x1p-8f));
        in.put("double", entry("F64", 0.1f, -3e38f));
        in.put("long", entry("I64", 7, -3, 1 << 24));
        in.put("int", entry("I32", -5, 1 << 30));
        in.put("short", entry("I16", -32768, 32767));
        in.put("byte", entry("I8", -128, 127));
        in.put("ubyte", entry("U8", 0, 255));
        in.put("bool", entry("BOOL", 0, 1, 1));
        in.put("scalar", new StateDict.Entry("I64", FloatTensor.scalar(12)));
        Path file = tmp.resolve("dtypes.safetensors");
        SafetensorsWriter.write(new StateDict(in), file);

        StateDict back = Safetensors.read(file);
        assertThat(back.names()).containsExactlyElementsOf(in.keySet());
        assertThat(back.get("half").tensor().data())
                .containsExactly(1f, -2f, 65504f, 0x1p-24f, Float.POSITIVE_INFINITY,
                        Float.POSITIVE_INFINITY, 1f, 1f + 0x1p-9f, 0f, 0x1p-23f, -0f);
        assertThat(Float.floatToRawIntBits(back.get("half").tensor().data()[10]))
                .isEqualTo(Float.floatToRawIntBits(-0f));
        assertThat(back.get("bfloat").tensor().data())
                .containsExactly(1f, -0.5f, 1f, 1f + 0x1p-6f);
        for (String name : List.of("double", "long", "int", "short", "byte", "ubyte", "bool")) {
            assertThat(back.get(name).tensor().data()).as(name)
                    .containsExactly(in.get(name).tensor().data());
            assertThat(back.get(name).dtype()).isEqualTo(in.get(name).dtype());
        }
        assertThat(back.get("scalar").tensor().shape()).isEmpty();
        assertThat(ElementEncoder.floatToHalf(Float.NaN) & 0x7c00).isEqualTo(0x7c00);
        assertThat(Float.isNaN(StoredDtype.halfToFloat(ElementEncoder.floatToHalf(Float.NaN))))
                .isTrue();
        assertThat(Float.isNaN(Float.intBitsToFloat(
                        ElementEncoder.floatToBfloat16(Float.NaN) << 16)))
                .isTrue();
    }

    private static StateDict.Entry entry(String dtype, float... values) {
        return new StateDict.Entry(dtype, new FloatTensor(values, new long[] {values.length}));
    }

    @Test
    void badInputIsNamedAndLeavesTheOldFileAndNoTemporaryFiles() throws IOException {
        Path file = tmp.resolve("w.safetensors");
        Files.writeString(file, "the previous weights");
        StateDict fractional = new StateDict(Map.of("bn1.num_batches_tracked",
                entry("I64", 0.5f)));
        assertThatThrownBy(() -> SafetensorsWriter.write(fractional, file))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("bn1.num_batches_tracked")
                .hasMessageContaining("value 0.5")
                .hasMessageContaining("store it as F32");
        StateDict unknown = new StateDict(Map.of("w", entry("F8", 1f)));
        assertThatThrownBy(() -> SafetensorsWriter.write(unknown, file))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("tensor 'w' as dtype F8");
        StateDict reserved = new StateDict(Map.of("__metadata__", entry("F32", 1f)));
        assertThatThrownBy(() -> SafetensorsWriter.write(reserved, file))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("'__metadata__'");
        assertThat(Files.readString(file)).isEqualTo("the previous weights");
        try (Stream<Path> files = Files.list(tmp)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void anUninitializedNetworkOrABadCounterIsNamed() {
        assertThatThrownBy(() -> ResNet18StateDict.of(ResNet18.create(10)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("conv1.weight is not initialized");
        try (NDManager manager = NDManager.newBaseManager()) {
            ResNet18 net = trainedLooking(manager, 10);
            assertThatThrownBy(() -> ResNet18StateDict.of(net, -1))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("batchesTracked must be in [0, 16777216], got -1");
        }
    }
}
