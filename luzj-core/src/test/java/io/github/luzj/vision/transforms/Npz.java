package io.github.luzj.vision.transforms;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** A minimal reader of numpy {@code .npz} files holding little-endian float32/float64 arrays. */
final class Npz {

    /** One array: its shape and values, row-major, as floats. */
    record Array(int[] shape, float[] data) {}

    private static final Pattern DESCR = Pattern.compile("'descr':\\s*'([<>|]?[a-z]\\d+)'");
    private static final Pattern SHAPE = Pattern.compile("'shape':\\s*\\(([^)]*)\\)");

    private Npz() {}

    static Map<String, Array> read(InputStream in) throws IOException {
        Map<String, Array> out = new HashMap<>();
        try (ZipInputStream zip = new ZipInputStream(in)) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName().replaceFirst("\\.npy$", "");
                out.put(name, npy(zip.readAllBytes(), name));
            }
        }
        return out;
    }

    private static Array npy(byte[] bytes, String name) {
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        if ((bytes[0] & 0xFF) != 0x93 || !new String(bytes, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new IllegalArgumentException(name + " is not a .npy array");
        }
        int major = bytes[6];
        int headerLen = major == 1 ? buf.getShort(8) & 0xFFFF : buf.getInt(8);
        int start = major == 1 ? 10 : 12;
        String header = new String(bytes, start, headerLen, StandardCharsets.US_ASCII);
        if (header.contains("'fortran_order': True")) {
            throw new IllegalArgumentException(name + " is in Fortran order");
        }
        Matcher d = DESCR.matcher(header);
        Matcher s = SHAPE.matcher(header);
        if (!d.find() || !s.find()) {
            throw new IllegalArgumentException(name + ": cannot parse header " + header);
        }
        String[] dims = s.group(1).split(",");
        int count = 0;
        int[] shape = new int[dims.length];
        int n = 1;
        for (String dim : dims) {
            if (!dim.isBlank()) {
                shape[count] = Integer.parseInt(dim.trim());
                n *= shape[count++];
            }
        }
        shape = java.util.Arrays.copyOf(shape, count);
        buf.position(start + headerLen);
        float[] data = new float[n];
        switch (d.group(1)) {
            case "<f4" -> buf.asFloatBuffer().get(data);
            case "<f8" -> {
                for (int i = 0; i < n; i++) {
                    data[i] = (float) buf.getDouble();
                }
            }
            default -> throw new IllegalArgumentException(name + ": unsupported dtype " + d.group(1));
        }
        return new Array(shape, data);
    }
}
