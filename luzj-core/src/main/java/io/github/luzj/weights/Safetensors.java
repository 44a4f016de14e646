package io.github.luzj.weights;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import io.github.luzj.base.InputFiles;
import io.github.luzj.base.JsonText;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
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

    /** Headers beyond this are not safetensors; the reference implementation caps them at 100 MB. */
    static final long MAX_HEADER = 100_000_000L;

    private Safetensors() {}

    /**
     * Reads every tensor of a safetensors file, after validating the header as the reference
     * implementation does: known dtypes, integer shapes and offsets, byte ranges that are
     * ascending, contiguous, non-overlapping, match shape x dtype size and cover the data section
     * exactly, with no byte after the last tensor.
     *
     * @param file the file
     * @return the tensors in the header's order
     */
    public static StateDict read(Path file) {
        InputFiles.checkReadable(file, "weights file", "pass the path of a .safetensors file");
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size < 8) {
                throw notSafetensors(file, "it has only " + size + " bytes");
            }
            ByteBuffer lengthBytes = readFully(ch, 0, 8);
            long headerLength = lengthBytes.order(ByteOrder.LITTLE_ENDIAN).getLong();
            if (headerLength > MAX_HEADER && headerLength <= size - 8) {
                throw notSafetensors(file, String.format(Locale.ROOT,
                        "its header of %,d bytes is over the format's limit of %,d bytes",
                        headerLength, MAX_HEADER));
            }
            if (headerLength <= 1 || headerLength > MAX_HEADER || headerLength > size - 8) {
                throw notSafetensors(
                        file,
                        "its first 8 bytes give a header length of " + headerLength
                                + " for a file of " + size + " bytes"
                                + (startsWithZip(lengthBytes) ? " (it is a zip archive, as"
                                        + " PyTorch's .pt/.pth files are)" : ""));
            }
            ByteBuffer headerBytes = readFully(ch, 8, (int) headerLength);
            JsonObject header = parseHeader(file, utf8(file, headerBytes));
            long dataStart = 8 + headerLength;
            long dataSize = size - dataStart;
            Map<String, TensorHeader> tensors = new LinkedHashMap<>();
            TensorLimits limits = new TensorLimits(file);
            for (Map.Entry<String, JsonElement> e : header.entrySet()) {
                if ("__metadata__".equals(e.getKey())) {
                    checkMetadata(file, e.getValue());
                    continue;
                }
                tensors.put(e.getKey(), TensorHeader.parse(file, e.getKey(), e.getValue(), limits));
            }
            checkLayout(file, tensors, dataSize);
            Map<String, StateDict.Entry> out = new LinkedHashMap<>();
            for (Map.Entry<String, TensorHeader> e : tensors.entrySet()) {
                out.put(e.getKey(), readTensor(file, ch, e.getKey(), e.getValue(), dataStart,
                        limits));
            }
            return new StateDict(out);
        } catch (IOException e) {
            throw WeightFiles.unreadable(file, e);
        }
    }

    /** The reference's validation: sorted by offsets, each range starts where the last ended. */
    private static void checkLayout(Path file, Map<String, TensorHeader> tensors, long dataSize) {
        List<Map.Entry<String, TensorHeader>> byOffset = new ArrayList<>(tensors.entrySet());
        byOffset.sort(Comparator.comparingLong((Map.Entry<String, TensorHeader> e) ->
                e.getValue().begin()).thenComparingLong(e -> e.getValue().end()));
        long expected = 0;
        for (Map.Entry<String, TensorHeader> e : byOffset) {
            TensorHeader h = e.getValue();
            if (h.end() > dataSize && h.begin() == expected) {
                throw new LuzjException(String.format(Locale.ROOT,
                        "weights file %s is truncated: tensor '%s' needs data bytes %d..%d but the"
                                + " data section has only %,d bytes; download or copy the file"
                                + " again",
                        file, e.getKey(), h.begin(), h.end(), dataSize));
            }
            if (h.begin() != expected) {
                throw corrupt(file, String.format(Locale.ROOT,
                        "tensor '%s' has data_offsets [%d, %d] but the previous tensor ends at %d:"
                                + " byte ranges must be contiguous and must not overlap",
                        e.getKey(), h.begin(), h.end(), expected));
            }
            expected = h.end();
        }
        if (expected < dataSize) {
            throw corrupt(file, String.format(Locale.ROOT,
                    "its data section has %,d bytes but the tensors cover only %,d (trailing"
                            + " bytes)", dataSize, expected));
        }
    }

    private static StateDict.Entry readTensor(
            Path file, FileChannel ch, String name, TensorHeader h, long dataStart,
            TensorLimits limits) throws IOException {
        limits.reserve("tensor '" + name + "'", h.elements() * Float.BYTES);
        float[] values = new float[(int) h.elements()];
        ch.position(dataStart + h.begin());
        if (h.dtype().readInto(ch, values) < values.length) {
            throw new LuzjException("weights file " + file + " is truncated inside tensor '"
                    + name + "'; download or copy the file again");
        }
        return new StateDict.Entry(h.dtype().name(), new FloatTensor(values, h.shape()));
    }

    private static String utf8(Path file, ByteBuffer bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(bytes)
                    .toString();
        } catch (CharacterCodingException e) {
            throw notSafetensors(file, "its header is not UTF-8 text");
        }
    }

    private static JsonObject parseHeader(Path file, String json) {
        if (!json.startsWith("{")) {
            throw notSafetensors(file, "its header does not start with '{'");
        }
        try {
            JsonReader reader = new JsonReader(new StringReader(json));
            reader.setStrictness(Strictness.STRICT);
            JsonElement el = JsonParser.parseReader(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw notSafetensors(file, "its header has text after the JSON object");
            }
            if (!el.isJsonObject()) {
                throw notSafetensors(file, "its header is not a JSON object");
            }
            JsonText.refuseRepeatedNames(json, Strictness.STRICT);
            return el.getAsJsonObject();
        } catch (JsonParseException | IOException | IllegalStateException e) {
            throw notSafetensors(file, "its header is not valid JSON (" + e.getMessage() + ")");
        }
    }

    /** {@code __metadata__} is a map of strings to strings in the format. */
    private static void checkMetadata(Path file, JsonElement metadata) {
        boolean ok = metadata.isJsonObject() && metadata.getAsJsonObject().entrySet().stream()
                .allMatch(m -> m.getValue().isJsonPrimitive()
                        && m.getValue().getAsJsonPrimitive().isString());
        if (!ok) {
            throw notSafetensors(file, "its __metadata__ is not an object of strings");
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

    private static LuzjException corrupt(Path file, String why) {
        return new LuzjException(
                "weights file " + file + " is corrupt: " + why + "; re-export the file with"
                        + " safetensors.torch.save_file");
    }

    /** One tensor's entry in the JSON header. */
    private record TensorHeader(StoredDtype dtype, long[] shape, long elements, long begin, long end) {

        static TensorHeader parse(Path file, String name, JsonElement value, TensorLimits limits) {
            if (!value.isJsonObject()) {
                throw malformed(file, name, "it is not an object");
            }
            JsonObject o = value.getAsJsonObject();
            JsonElement dtypeJson = o.get("dtype");
            if (dtypeJson == null || !dtypeJson.isJsonPrimitive()
                    || !dtypeJson.getAsJsonPrimitive().isString()) {
                throw malformed(file, name, "its dtype is not a string");
            }
            String dtypeName = dtypeJson.getAsString();
            StoredDtype dtype = StoredDtype.parse(dtypeName);
            if (dtype == null) {
                throw new LuzjException(
                        "weights file " + file + " stores tensor '" + name + "' as dtype "
                                + dtypeName + ", which luzj cannot read; supported: "
                                + StoredDtype.supported());
            }
            long[] shape = integers(file, name, "shape", o.get("shape"), -1);
            long[] offsets = integers(file, name, "data_offsets", o.get("data_offsets"), 2);
            long begin = offsets[0];
            long end = offsets[1];
            if (end < begin) {
                throw corrupt(file, "tensor '" + name + "' has data_offsets [" + begin + ", "
                        + end + "], which end before they begin");
            }
            long elements = limits.elements("tensor '" + name + "'", shape);
            long bytes = elements * dtype.bytes(); // at most 8 x (2^31 - 9): no overflow
            if (bytes != end - begin) {
                throw corrupt(file, String.format(Locale.ROOT,
                        "tensor '%s' of dtype %s and shape %s needs %,d bytes but its data_offsets"
                                + " [%d, %d] span %,d",
                        name, dtype, Arrays.toString(shape), bytes, begin, end, end - begin));
            }
            return new TensorHeader(dtype, shape, elements, begin, end);
        }

        /** A list of non-negative integers: not strings, not fractions, not NaN. */
        private static long[] integers(
                Path file, String name, String field, JsonElement json, int length) {
            if (json == null || !json.isJsonArray()
                    || (length >= 0 && json.getAsJsonArray().size() != length)) {
                throw malformed(file, name, field + " is not a list"
                        + (length >= 0 ? " of " + length + " integers" : " of integers"));
            }
            JsonArray a = json.getAsJsonArray();
            long[] out = new long[a.size()];
            for (int i = 0; i < out.length; i++) {
                JsonElement e = a.get(i);
                BigDecimal v = null;
                if (e.isJsonPrimitive() && e.getAsJsonPrimitive().isNumber()) {
                    try {
                        v = e.getAsBigDecimal();
                    } catch (NumberFormatException ignored) {
                        v = null;
                    }
                }
                if (v == null || v.signum() < 0 || v.stripTrailingZeros().scale() > 0
                        || v.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
                    throw malformed(file, name, field + " holds " + e
                            + ", not a non-negative integer");
                }
                out[i] = v.longValueExact();
            }
            return out;
        }

        private static LuzjException malformed(Path file, String name, String why) {
            return notSafetensors(file, "the header entry of tensor '" + name + "' is malformed ("
                    + why + ")");
        }
    }
}
