package io.github.luzj.testing;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.luzj.weights.StateDict;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** Writes small safetensors files for tests, from raw little-endian bytes. */
public final class SafetensorsFiles {

    private SafetensorsFiles() {}

    public record Raw(String dtype, long[] shape, byte[] data) {}

    public static void write(Path file, Map<String, Raw> tensors) throws IOException {
        JsonObject header = new JsonObject();
        JsonObject meta = new JsonObject();
        meta.addProperty("format", "pt");
        header.add("__metadata__", meta);
        long offset = 0;
        for (Map.Entry<String, Raw> e : tensors.entrySet()) {
            JsonObject o = new JsonObject();
            o.addProperty("dtype", e.getValue().dtype());
            JsonArray shape = new JsonArray();
            for (long d : e.getValue().shape()) {
                shape.add(d);
            }
            o.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(offset);
            offset += e.getValue().data().length;
            offsets.add(offset);
            o.add("data_offsets", offsets);
            header.add(e.getKey(), o);
        }
        byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(json.length)
                    .array());
            out.write(json);
            for (Raw r : tensors.values()) {
                out.write(r.data());
            }
        }
    }

    /** Re-encodes a state dict: F32 tensors as F32, integer ones as I64. */
    public static Map<String, Raw> fromStateDict(StateDict sd) {
        Map<String, Raw> out = new LinkedHashMap<>();
        sd.entries().forEach((name, e) -> out.put(name, encode(e.dtype(), e.tensor().shape(),
                e.tensor().data())));
        return out;
    }

    public static Raw encode(String dtype, long[] shape, float[] values) {
        boolean integer = dtype.startsWith("I");
        ByteBuffer b = ByteBuffer.allocate(values.length * (integer ? 8 : 4))
                .order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            if (integer) {
                b.putLong((long) v);
            } else {
                b.putFloat(v);
            }
        }
        return new Raw(integer ? "I64" : "F32", shape, b.array());
    }

    public static Raw shorts(String dtype, long[] shape, int... bits) {
        ByteBuffer b = ByteBuffer.allocate(bits.length * 2).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : bits) {
            b.putShort((short) v);
        }
        return new Raw(dtype, shape, b.array());
    }
}
