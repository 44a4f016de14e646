package io.github.luzj.weights;

import io.github.luzj.testing.StoredZip;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipOutputStream;

/**
 * Writes a state dict as {@code torch.save} does (zip of a protocol-2 {@code data.pkl} and one
 * {@code data/N} file per tensor), so that a full ResNet-18 {@code .pth} can be made from the
 * safetensors fixture. The opcodes are the ones {@code pickletools.dis} shows for a real file.
 */
final class ResnetPthFiles {

    private ResnetPthFiles() {}

    static void write(Path file, StateDict sd) throws IOException {
        ByteArrayOutputStream pkl = new ByteArrayOutputStream();
        List<byte[]> storages = new ArrayList<>();
        pkl.write(new byte[] {(byte) 0x80, 2});
        global(pkl, "collections", "OrderedDict");
        pkl.write(')');
        pkl.write('R');
        pkl.write('(');
        for (Map.Entry<String, StateDict.Entry> e : sd.entries().entrySet()) {
            boolean integer = e.getValue().dtype().startsWith("I");
            float[] values = e.getValue().tensor().data();
            long[] shape = e.getValue().tensor().shape();
            ByteBuffer data = ByteBuffer.allocate(values.length * (integer ? 8 : 4))
                    .order(ByteOrder.LITTLE_ENDIAN);
            for (float v : values) {
                if (integer) {
                    data.putLong((long) v);
                } else {
                    data.putFloat(v);
                }
            }
            String key = Integer.toString(storages.size());
            storages.add(data.array());
            unicode(pkl, e.getKey());
            global(pkl, "torch._utils", "_rebuild_tensor_v2");
            pkl.write('(');
            pkl.write('(');
            unicode(pkl, "storage");
            global(pkl, "torch", integer ? "LongStorage" : "FloatStorage");
            unicode(pkl, key);
            unicode(pkl, "cpu");
            integer(pkl, values.length);
            pkl.write('t');
            pkl.write('Q');
            integer(pkl, 0);
            pkl.write('(');
            for (long d : shape) {
                integer(pkl, d);
            }
            pkl.write('t');
            pkl.write('(');
            long stride = 1;
            long[] strides = new long[shape.length];
            for (int i = shape.length - 1; i >= 0; i--) {
                strides[i] = stride;
                stride *= shape[i];
            }
            for (long s : strides) {
                integer(pkl, s);
            }
            pkl.write('t');
            pkl.write(0x89);
            global(pkl, "collections", "OrderedDict");
            pkl.write(')');
            pkl.write('R');
            pkl.write('t');
            pkl.write('R');
        }
        pkl.write('u');
        pkl.write('.');
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            StoredZip.entry(zip, "archive/data.pkl", pkl.toByteArray());
            StoredZip.entry(zip, "archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < storages.size(); i++) {
                StoredZip.entry(zip, "archive/data/" + i, storages.get(i));
            }
            StoredZip.entry(zip, "archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
        }
    }

    private static void global(OutputStream out, String module, String name) throws IOException {
        out.write(('c' + module + "\n" + name + "\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void unicode(OutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.write('X');
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(b.length).array());
        out.write(b);
    }

    private static void integer(OutputStream out, long v) throws IOException {
        out.write('J'); // BININT: 4-byte signed
        out.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v).array());
    }

}
