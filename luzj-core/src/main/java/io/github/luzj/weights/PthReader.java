package io.github.luzj.weights;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import io.github.luzj.data.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * Reads a {@code state_dict} saved by {@code torch.save} (a zip archive of {@code data.pkl} and
 * one {@code data/N} file per storage) without running any code from it: {@link SafeUnpickler}
 * accepts only the few globals a state dict needs and rejects anything else.
 */
final class PthReader {

    private PthReader() {}

    /**
     * Reads every tensor of a {@code .pth} file.
     *
     * @param file the archive
     * @return its tensors, in the pickled dict's order
     */
    static StateDict read(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry pickle = zip.stream()
                    .filter(e -> e.getName().endsWith("data.pkl"))
                    .findFirst()
                    .orElseThrow(() -> new LuzjException(
                            "weights file " + file + " is a zip archive without data.pkl, so not"
                                    + " a torch.save file; pass a .pth state_dict or a"
                                    + " .safetensors file"));
            String prefix = pickle.getName().substring(0, pickle.getName().length() - 8);
            ZipEntry order = zip.getEntry(prefix + "byteorder");
            if (order != null) {
                String byteOrder = new String(
                        readCapped(file, zip, order, MAX_BYTEORDER_BYTES, "a byteorder entry"),
                        StandardCharsets.US_ASCII).trim();
                Checks.check(
                        "little".equals(byteOrder),
                        "weights file %s was saved on a %s-endian machine; luzj reads little-endian"
                                + " files only; convert it to safetensors",
                        file,
                        byteOrder);
            }
            byte[] pkl = readCapped(file, zip, pickle, MAX_PICKLE_BYTES, "a state_dict's data.pkl");
            Object root = new SafeUnpickler(pkl, file.toString()).load();
            return toStateDict(file, zip, prefix, root);
        } catch (ZipException | IllegalArgumentException e) {
            throw new LuzjException(
                    "weights file " + file + " is not a readable zip archive (" + e.getMessage()
                            + "); is it truncated? download or copy it again", e);
        } catch (IOException e) {
            throw WeightFiles.unreadable(file, e);
        }
    }

    private static StateDict toStateDict(Path file, ZipFile zip, String prefix, Object root)
            throws IOException {
        if (!(root instanceof Map<?, ?> map)) {
            throw new LuzjException(
                    "weights file " + file + " holds a " + SafeUnpickler.describe(root)
                            + ", not a state_dict; save model.state_dict() instead of the model");
        }
        TensorLimits limits = new TensorLimits(file);
        Map<String, float[]> storages = new HashMap<>();
        Map<String, StateDict.Entry> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)
                    || !(e.getValue() instanceof SafeUnpickler.TensorRef t)) {
                throw new LuzjException(
                        "weights file " + file + " is not a flat state_dict: key "
                                + (e.getKey() instanceof String k ? k
                                        : "of type " + SafeUnpickler.describe(e.getKey()))
                                + " holds a " + SafeUnpickler.describe(e.getValue())
                                + "; save model.state_dict() (a checkpoint dict must be unpacked"
                                + " first)");
            }
            float[] storage = storages.get(t.storageKey());
            if (storage == null) {
                storage = storage(file, zip, prefix, name, t, limits);
                storages.put(t.storageKey(), storage);
            }
            out.put(name, view(file, name, t, storage, limits));
        }
        return new StateDict(out);
    }

    /** Reads one {@code data/N} entry: exactly the elements its persistent id declares. */
    private static float[] storage(
            Path file, ZipFile zip, String prefix, String name, SafeUnpickler.TensorRef t,
            TensorLimits limits) throws IOException {
        String entryName = prefix + "data/" + t.storageKey();
        ZipEntry entry = zip.getEntry(entryName);
        if (entry == null) {
            throw new LuzjException(
                    "weights file " + file + " is incomplete: tensor '" + name + "' needs storage "
                            + entryName + ", which the archive lacks");
        }
        if (t.storageElements() == null) {
            throw new LuzjException(
                    "weights file " + file + " is corrupt: storage " + entryName + " of tensor '"
                            + name + "' does not declare its element count, as torch.save does;"
                            + " re-save it with torch.save(model.state_dict(), path)");
        }
        long n = limits.elements("storage " + entryName, new long[] {t.storageElements()});
        long bytes = n * t.dtype().bytes();
        if (entry.getSize() >= 0 && entry.getSize() != bytes) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "weights file %s is truncated or corrupt: storage %s should hold %,d %s"
                            + " elements (%,d bytes) but the archive lists %,d bytes; download or"
                            + " copy it again",
                    file, entryName, n, t.dtype(), bytes, entry.getSize()));
        }
        limits.reserve("storage " + entryName, n * Float.BYTES);
        float[] values = new float[(int) n];
        try (InputStream in = zip.getInputStream(entry)) {
            int filled = t.dtype().readInto(Channels.newChannel(in), values);
            if (filled < n || in.read() >= 0) {
                throw new LuzjException(String.format(Locale.ROOT,
                        "weights file %s is truncated or corrupt: storage %s should hold %,d %s"
                                + " elements (%,d bytes) but %s; download or copy it again",
                        file, entryName, n, t.dtype(), bytes,
                        filled < n ? "holds only " + filled : "holds more"));
            }
        }
        return values;
    }

    /** Copies a tensor's strided view of its storage, after checking it stays inside. */
    private static StateDict.Entry view(
            Path file, String name, SafeUnpickler.TensorRef t, float[] storage,
            TensorLimits limits) {
        long[] size = t.size();
        long[] stride = t.stride();
        if (size.length != stride.length || t.offset() < 0
                || Arrays.stream(stride).anyMatch(x -> x < 0)) {
            throw new LuzjException(
                    "weights file " + file + " is corrupt: tensor '" + name + "' has size "
                            + Arrays.toString(size) + ", stride " + Arrays.toString(stride)
                            + " and offset " + t.offset() + "; sizes and strides must pair up and"
                            + " be >= 0; re-export the file");
        }
        long count = limits.elements("tensor '" + name + "'", size);
        if (count > 0) {
            long lastIndex = t.offset();
            try {
                for (int i = 0; i < size.length; i++) {
                    lastIndex = Math.addExact(lastIndex, Math.multiplyExact(size[i] - 1, stride[i]));
                }
            } catch (ArithmeticException e) {
                lastIndex = Long.MAX_VALUE;
            }
            if (lastIndex >= storage.length) {
                throw new LuzjException(
                        "weights file " + file + " is truncated or corrupt: tensor '" + name
                                + "' of shape " + Arrays.toString(size) + " reaches element "
                                + lastIndex + " of a storage of " + storage.length);
            }
        }
        limits.reserve("tensor '" + name + "'", count * Float.BYTES);
        float[] values = new float[(int) count];
        gather(storage, t.offset(), size, stride, values);
        return new StateDict.Entry(t.dtype().name(), new FloatTensor(values, size));
    }

    /** Copies a strided view into row-major order (state dicts are contiguous; views are not). */
    private static void gather(float[] storage, long offset, long[] size, long[] stride, float[] out) {
        int dims = size.length;
        long[] index = new long[dims];
        for (int i = 0; i < out.length; i++) {
            long at = offset;
            for (int d = 0; d < dims; d++) {
                at += index[d] * stride[d];
            }
            out[i] = storage[(int) at];
            for (int d = dims - 1; d >= 0; d--) {
                if (++index[d] < size[d]) {
                    break;
                }
                index[d] = 0;
            }
        }
    }

    /** Streams an entry, refusing it once it inflates past {@code cap} (a zip bomb). */
    private static byte[] readCapped(Path file, ZipFile zip, ZipEntry entry, int cap, String what)
            throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            byte[] bytes = in.readNBytes(cap + 1);
            if (bytes.length > cap) {
                throw new LuzjException(String.format(Locale.ROOT,
                        "weights file %s: entry %s inflates to more than %,d bytes, the cap for %s;"
                                + " the archive is damaged or a zip bomb, not a torch.save"
                                + " state_dict",
                        file, entry.getName(), cap, what));
            }
            return bytes;
        }
    }

    /** The most a {@code data.pkl} may inflate to: a ResNet-50's is 30 KB, an LLM shard's 1 MB. */
    static final int MAX_PICKLE_BYTES = 32 << 20;

    private static final int MAX_BYTEORDER_BYTES = 64;

    /** Storage classes a state dict may reference, by their pickled names. */
    static final Map<String, StoredDtype> STORAGES = Map.ofEntries(
            Map.entry("FloatStorage", StoredDtype.F32),
            Map.entry("DoubleStorage", StoredDtype.F64),
            Map.entry("HalfStorage", StoredDtype.F16),
            Map.entry("BFloat16Storage", StoredDtype.BF16),
            Map.entry("LongStorage", StoredDtype.I64),
            Map.entry("IntStorage", StoredDtype.I32),
            Map.entry("ShortStorage", StoredDtype.I16),
            Map.entry("CharStorage", StoredDtype.I8),
            Map.entry("ByteStorage", StoredDtype.U8),
            Map.entry("BoolStorage", StoredDtype.BOOL));

    /** The globals {@link SafeUnpickler} accepts, for error messages. */
    static final List<String> ALLOWED = List.of(
            "collections.OrderedDict",
            "torch._utils._rebuild_tensor_v2",
            "torch._utils._rebuild_parameter",
            "torch.<Float|Double|Half|BFloat16|Long|Int|Short|Char|Byte|Bool>Storage");
}
