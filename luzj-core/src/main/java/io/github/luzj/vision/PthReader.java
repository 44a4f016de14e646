package io.github.luzj.vision;

import io.github.luzj.LuzjException;
import io.github.luzj.data.FloatTensor;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
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
                String byteOrder = new String(readAll(zip, order), StandardCharsets.US_ASCII).trim();
                LuzjException.check(
                        "little".equals(byteOrder),
                        "weights file %s was saved on a %s-endian machine; luzj reads little-endian"
                                + " files only; convert it to safetensors",
                        file,
                        byteOrder);
            }
            Object root = new SafeUnpickler(readAll(zip, pickle), file.toString()).load();
            return toStateDict(file, zip, prefix, root);
        } catch (ZipException e) {
            throw new LuzjException(
                    "weights file " + file + " is not a readable zip archive (" + e.getMessage()
                            + "); is it truncated? download or copy it again", e);
        } catch (IOException e) {
            throw new LuzjException("cannot read weights file " + file + ": " + e.getMessage(), e);
        }
    }

    private static StateDict toStateDict(Path file, ZipFile zip, String prefix, Object root)
            throws IOException {
        if (!(root instanceof Map<?, ?> map)) {
            throw new LuzjException(
                    "weights file " + file + " holds a " + SafeUnpickler.describe(root)
                            + ", not a state_dict; save model.state_dict() instead of the model");
        }
        Map<String, StateDict.Entry> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String name)
                    || !(e.getValue() instanceof SafeUnpickler.TensorRef t)) {
                throw new LuzjException(
                        "weights file " + file + " is not a flat state_dict: key " + e.getKey()
                                + " holds a " + SafeUnpickler.describe(e.getValue())
                                + "; save model.state_dict() (a checkpoint dict must be unpacked"
                                + " first)");
            }
            out.put(name, materialize(file, zip, prefix, name, t));
        }
        return new StateDict(out);
    }

    private static StateDict.Entry materialize(
            Path file, ZipFile zip, String prefix, String name, SafeUnpickler.TensorRef t)
            throws IOException {
        ZipEntry entry = zip.getEntry(prefix + "data/" + t.storageKey());
        if (entry == null) {
            throw new LuzjException(
                    "weights file " + file + " is incomplete: tensor '" + name + "' needs storage "
                            + prefix + "data/" + t.storageKey() + ", which the archive lacks");
        }
        byte[] bytes = readAll(zip, entry);
        StoredDtype dtype = t.dtype();
        long storageElements = bytes.length / dtype.bytes();
        long count = 1;
        long lastIndex = t.offset();
        for (int i = 0; i < t.size().length; i++) {
            count *= t.size()[i];
            lastIndex += (t.size()[i] - 1) * t.stride()[i];
        }
        if (count > 0 && (lastIndex >= storageElements || t.offset() < 0)) {
            throw new LuzjException(
                    "weights file " + file + " is truncated or corrupt: tensor '" + name + "' of"
                            + " shape " + Arrays.toString(t.size()) + " reaches element "
                            + lastIndex + " of a storage of " + storageElements);
        }
        float[] storage = dtype.decode(ByteBuffer.wrap(bytes), (int) storageElements);
        float[] values = new float[(int) count];
        gather(storage, t.offset(), t.size(), t.stride(), values);
        return new StateDict.Entry(dtype.name(), new FloatTensor(values, t.size()));
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

    private static byte[] readAll(ZipFile zip, ZipEntry entry) throws IOException {
        try (InputStream in = zip.getInputStream(entry)) {
            return in.readAllBytes();
        }
    }

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
