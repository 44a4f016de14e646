package io.github.luzj.vision;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import io.github.luzj.LuzjException;
import io.github.luzj.data.FloatTensor;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads {@code .safetensors} files: an 8-byte little-endian header length, a JSON header mapping
 * each tensor's name to its dtype, shape and byte range, then the raw little-endian data.
 *
 * <pre>{@code
 * StateDict weights = Safetensors.read(Path.of("resnet18.safetensors"));
 * }</pre>
 *
 * <p>Every inconsistency (a header that is not JSON, a byte range past the end of the file, a
 * range that does not match the shape) is a {@link LuzjException} naming the file and the tensor.
 */
public final class Safetensors {

    /** Headers beyond this are not safetensors; the format itself caps them at 100 MB. */
    private static final long MAX_HEADER = 100L * 1024 * 1024;

    private Safetensors() {}

    /**
     * Reads every tensor of a safetensors file.
     *
     * @param file the file
     * @return the tensors in the header's order
     */
    public static StateDict read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LuzjException(
                    "weights file " + file + " does not exist; pass the path of a .safetensors file");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw notSafetensors(file, "it has only " + size + " bytes");
            }
            ByteBuffer lengthBytes = readFully(ch, 0, 8);
            long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength <= 1 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw notSafetensors(
                        file,
                        "its first 8 bytes give a header length of " + headerLength
                                + " for a file of " + size + " bytes"
                                + (startsWithZip(lengthBytes) ? " (it is a zip archive, as"
                                        + " PyTorch's .pt/.pth files are)" : ""));
            }
            ByteBuffer headerBytes = readFully(ch, 8, (int) headerLength);
            String json = StandardCharsets.UTF_8.decode(headerBytes).toString();
            JsonObject header = parseHeader(file, json);
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, StateDict.Entry> out = new LinkedHashMap<>();
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if ("__metadata__".equals(e.getKey())) {
                    continue;
                }
                out.put(e.getKey(), readTensor(file, ch, e.getKey(), e.getValue(), dataStart,
                        dataSize));
            }
            return new StateDict(out);
        } catch (IOException e) {
            throw new LuzjException("cannot read weights file " + file + ": " + e.getMessage(), e);
        }
    }

    private static StateDict.Entry readTensor(
            Path file, FileChannel ch, String name, JsonElement value, long dataStart, long dataSize)
            throws IOException {
        TensorHeader h = TensorHeader.parse(file, name, value);
        if (h.end > dataSize) {
            throw new LuzjException(
                    "weights file " + file + " is truncated: tensor '" + name + "' needs data bytes "
                            + h.begin + ".." + h.end + " but the data section has only " + dataSize
                            + " bytes; download or copy the file again");
        }
        long count = 1;
        for (long d : h.shape) {
            count *= d;
        }
        if (count * h.dtype.bytes() != h.end - h.begin || count > Integer.MAX_VALUE) {
            throw new LuzjException(
                    "weights file " + file + " is corrupt: tensor '" + name + "' of dtype "
                            + h.dtype + " and shape " + java.util.Arrays.toString(h.shape)
                            + " needs " + count * h.dtype.bytes() + " bytes but its data_offsets"
                            + " span " + (h.end - h.begin) + "; re-export the file");
        }
        ByteBuffer data = readFully(ch, dataStart + h.begin, (int) (h.end - h.begin));
        float[] values = h.dtype.decode(data, (int) count);
        return new StateDict.Entry(h.dtype.name(), new FloatTensor(values, h.shape));
    }

    private static JsonObject parseHeader(Path file, String json) {
        if (!json.startsWith("{")) {
            throw notSafetensors(file, "its header does not start with '{'");
        }
        try {
            JsonElement el = JsonParser.parseString(json.trim());
            if (!el.isJsonObject()) {
                throw notSafetensors(file, "its header is not a JSON object");
            }
            return el.getAsJsonObject();
        } catch (JsonParseException e) {
            throw notSafetensors(file, "its header is not valid JSON (" + e.getMessage() + ")");
        }
    }

    private static ByteBuffer readFully(FileChannel ch, long position, int length)
            throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(length);
        while (buf.hasRemaining()) {
            int n = ch.read(buf, position + buf.position());
            if (n < 0) {
                throw new IOException("unexpected end of file at byte " + (position + buf.position()));
            }
        }
        buf.flip();
        return buf;
    }

    private static boolean startsWithZip(ByteBuffer first8) {
        return first8.get(0) == 'P' && first8.get(1) == 'K';
    }

    private static LuzjException notSafetensors(Path file, String why) {
        return new LuzjException(
                "weights file " + file + " is not a safetensors file: " + why
                        + "; pass a .safetensors file (torchvision weights can be converted with"
                        + " safetensors.torch.save_file(model.state_dict(), path))");
    }

    /** One tensor's entry in the JSON header. */
    private record TensorHeader(StoredDtype dtype, long[] shape, long begin, long end) {

        static TensorHeader parse(Path file, String name, JsonElement value) {
            try {
                JsonObject o = value.getAsJsonObject();
                String dtypeName = o.get("dtype").getAsString();
                StoredDtype dtype = StoredDtype.parse(dtypeName);
                if (dtype == null) {
                    throw new LuzjException(
                            "weights file " + file + " stores tensor '" + name + "' as dtype "
                                    + dtypeName + ", which luzj cannot read; supported: "
                                    + StoredDtype.supported());
                }
                JsonArray shapeJson = o.getAsJsonArray("shape");
                long[] shape = new long[shapeJson.size()];
                for (int i = 0; i < shape.length; i++) {
                    shape[i] = shapeJson.get(i).getAsLong();
                    if (shape[i] < 0) {
                        throw new IllegalStateException("negative dimension " + shape[i]);
                    }
                }
                JsonArray offsets = o.getAsJsonArray("data_offsets");
                if (offsets.size() != 2) {
                    throw new IllegalStateException("data_offsets must have 2 numbers");
                }
                long begin = offsets.get(0).getAsLong();
                long end = offsets.get(1).getAsLong();
                if (begin < 0 || end < begin) {
                    throw new IllegalStateException("data_offsets [" + begin + ", " + end + "]");
                }
                return new TensorHeader(dtype, shape, begin, end);
            } catch (IllegalStateException | UnsupportedOperationException | NullPointerException
                    | ClassCastException e) {
                throw notSafetensors(
                        file, "the header entry of tensor '" + name + "' is malformed ("
                                + e.getMessage() + ")");
            }
        }
    }
}
