package io.github.luzj.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import io.github.luzj.base.AtomicFiles;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code .safetensors} files in the layout of the reference implementation, for
 * {@link Safetensors#read}, DJL and PyTorch: an 8-byte little-endian header length, a JSON header
 * padded with spaces to a multiple of 8 bytes, then each tensor's little-endian bytes, back to
 * back. Tensors of 8-byte dtypes come first so that every tensor starts at a multiple of its
 * element size, as the reference implementation lays them out.
 *
 * <pre>{@code
 * SafetensorsWriter.write(ResNet18StateDict.of(net), Path.of("resnet18-fashion.safetensors"));
 * SafetensorsWriter.write(stateDict, Path.of("weights.safetensors"));      // any state dict
 * }</pre>
 *
 * <p>The file is written to a temporary name and renamed, so a crash never leaves half a file.
 */
public final class SafetensorsWriter {

    private static final String METADATA = "__metadata__";

    private SafetensorsWriter() {}

    /**
     * Writes a state dict with the metadata {@code {"format": "pt"}} that PyTorch's loader
     * expects.
     *
     * @param stateDict the tensors, each in its {@link StateDict.Entry#dtype()}
     * @param file the target file
     */
    public static void write(StateDict stateDict, Path file) {
        write(stateDict, Map.of(), file);
    }

    /**
     * Writes a state dict with extra string metadata (safetensors' {@code __metadata__}), beside
     * {@code "format": "pt"} unless {@code metadata} gives another format.
     *
     * @param stateDict the tensors, each in its {@link StateDict.Entry#dtype()}
     * @param metadata free-form strings, such as where the weights come from
     * @param file the target file
     */
    public static void write(StateDict stateDict, Map<String, String> metadata, Path file) {
        Checks.check(stateDict != null, "state dict is null; pass the tensors to write");
        Checks.check(file != null, "target file is null; pass a path ending in .safetensors");
        Checks.check(metadata != null, "metadata is null; pass Map.of() for none");
        List<Tensor> tensors = layout(stateDict);
        byte[] header = header(tensors, metadata);
        AtomicFiles.write(file, tmp -> writeTo(tmp, header, tensors));
    }

    /** One tensor as it will sit in the file. */
    private record Tensor(String name, StoredDtype dtype, long[] shape, float[] values, long begin,
            long end) {}

    /**
     * Checks every entry, then places them: 8-byte dtypes first in the data section, ties in the
     * state dict's order. The list keeps the state dict's order, which the header follows.
     */
    private static List<Tensor> layout(StateDict sd) {
        List<Tensor> unplaced = new ArrayList<>();
        for (Map.Entry<String, StateDict.Entry> e : sd.entries().entrySet()) {
            String name = e.getKey();
            Checks.check(
                    !name.isEmpty() && !METADATA.equals(name),
                    "cannot write a tensor named '%s': safetensors reserves it; rename the tensor",
                    name);
            StoredDtype dtype = StoredDtype.parse(e.getValue().dtype());
            if (dtype == null) {
                throw new LuzjException(
                        "cannot write tensor '" + name + "' as dtype " + e.getValue().dtype()
                                + "; use one of " + StoredDtype.supported());
            }
            float[] values = e.getValue().tensor().data();
            ElementEncoder.check(name, dtype, values);
            unplaced.add(new Tensor(name, dtype, e.getValue().tensor().shape(), values, 0, 0));
        }
        List<Tensor> byAlignment = new ArrayList<>(unplaced);
        byAlignment.sort(Comparator.comparingInt((Tensor t) -> -t.dtype().bytes())); // stable
        Map<String, Tensor> placed = new LinkedHashMap<>();
        long offset = 0;
        for (Tensor t : byAlignment) {
            long end = offset + (long) t.values().length * t.dtype().bytes();
            placed.put(t.name(), new Tensor(t.name(), t.dtype(), t.shape(), t.values(), offset, end));
            offset = end;
        }
        return unplaced.stream().map(t -> placed.get(t.name())).toList();
    }

    private static byte[] header(List<Tensor> tensors, Map<String, String> metadata) {
        JsonObject json = new JsonObject();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.putAll(metadata);
        JsonObject metaJson = new JsonObject();
        meta.forEach(metaJson::addProperty);
        json.add(METADATA, metaJson);
        for (Tensor t : tensors) {
            JsonObject o = new JsonObject();
            o.addProperty("dtype", t.dtype().name());
            JsonArray shape = new JsonArray();
            Arrays.stream(t.shape()).forEach(shape::add);
            o.add("shape", shape);
            JsonArray offsets = new JsonArray();
            offsets.add(t.begin());
            offsets.add(t.end());
            o.add("data_offsets", offsets);
            json.add(t.name(), o);
        }
        byte[] text = json.toString().getBytes(StandardCharsets.UTF_8);
        // the data section then starts 8-byte aligned, as safetensors itself pads it
        int padded = (text.length + 7) / 8 * 8;
        byte[] out = Arrays.copyOf(text, padded);
        Arrays.fill(out, text.length, padded, (byte) ' ');
        return out;
    }

    private static void writeTo(Path tmp, byte[] header, List<Tensor> tensors) throws IOException {
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer length = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            length.putLong(header.length).flip();
            writeFully(ch, length);
            writeFully(ch, ByteBuffer.wrap(header));
            List<Tensor> inFileOrder = new ArrayList<>(tensors);
            inFileOrder.sort(Comparator.comparingLong(Tensor::begin));
            for (Tensor t : inFileOrder) {
                // in chunks: a tensor of more than 2 GiB of bytes has no single ByteBuffer
                float[] values = t.values();
                for (int from = 0; from < values.length; from += CHUNK_ELEMENTS) {
                    float[] chunk = Arrays.copyOfRange(values, from,
                            Math.min(values.length, from + CHUNK_ELEMENTS));
                    ByteBuffer data = ByteBuffer.allocate(chunk.length * t.dtype().bytes())
                            .order(ByteOrder.LITTLE_ENDIAN);
                    ElementEncoder.encode(t.dtype(), chunk, data);
                    data.flip();
                    writeFully(ch, data);
                }
            }
            ch.force(true);
        }
    }

    private static final int CHUNK_ELEMENTS = 1 << 18;

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) {
            ch.write(buf);
        }
    }
}
