package io.github.luzj.weights;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.Locale;

/**
 * The element types a weight file may store, in safetensors spelling, and their decoding from
 * little-endian bytes to float.
 */
enum StoredDtype {
    F64(8),
    F32(4),
    F16(2),
    BF16(2),
    I64(8),
    I32(4),
    I16(2),
    I8(1),
    U8(1),
    BOOL(1);

    private final int bytes;

    StoredDtype(int bytes) {
        this.bytes = bytes;
    }

    /**
     * Returns the size of one element.
     *
     * @return bytes per element
     */
    int bytes() {
        return bytes;
    }

    /**
     * Finds a dtype by its safetensors name.
     *
     * @param name such as {@code F32}
     * @return the dtype, or null when unknown
     */
    static StoredDtype parse(String name) {
        for (StoredDtype d : values()) {
            if (d.name().equals(name)) {
                return d;
            }
        }
        return null;
    }

    /**
     * Lists the supported names, for error messages.
     *
     * @return e.g. {@code [F64, F32, ...]}
     */
    static String supported() {
        return Arrays.toString(values());
    }

    /**
     * Decodes {@code count} elements from {@code data} starting at its position.
     *
     * @param data the bytes; its order is set to little-endian
     * @param count the number of elements
     * @return the values as floats
     */
    float[] decode(ByteBuffer data, int count) {
        float[] out = new float[count];
        decode(data, out, 0, count);
        return out;
    }

    /**
     * Decodes {@code count} elements from {@code data} into {@code out}, so that a tensor larger
     * than one buffer can be read in chunks.
     *
     * @param data the bytes, at least {@code count * bytes()} from its position; advanced past them
     * @param out the destination
     * @param from the first index of {@code out} to fill
     * @param count the number of elements
     */
    void decode(ByteBuffer data, float[] out, int from, int count) {
        ByteBuffer b = data.order(ByteOrder.LITTLE_ENDIAN);
        int end = from + count;
        switch (this) {
            case F32 -> {
                b.asFloatBuffer().get(out, from, count);
                b.position(b.position() + count * 4);
            }
            case F64 -> {
                for (int i = from; i < end; i++) {
                    out[i] = (float) b.getDouble();
                }
            }
            case F16 -> {
                for (int i = from; i < end; i++) {
                    out[i] = halfToFloat(b.getShort());
                }
            }
            case BF16 -> {
                for (int i = from; i < end; i++) {
                    out[i] = Float.intBitsToFloat((b.getShort() & 0xffff) << 16);
                }
            }
            case I64 -> {
                for (int i = from; i < end; i++) {
                    out[i] = b.getLong();
                }
            }
            case I32 -> {
                for (int i = from; i < end; i++) {
                    out[i] = b.getInt();
                }
            }
            case I16 -> {
                for (int i = from; i < end; i++) {
                    out[i] = b.getShort();
                }
            }
            case I8 -> {
                for (int i = from; i < end; i++) {
                    out[i] = b.get();
                }
            }
            case U8, BOOL -> {
                for (int i = from; i < end; i++) {
                    out[i] = b.get() & 0xff;
                }
            }
            default -> throw new IllegalStateException(name().toLowerCase(Locale.ROOT));
        }
    }

    /**
     * Fills {@code out} from a channel in chunks, so that no buffer beyond 1 MiB is needed and a
     * tensor of more than 2 GiB of bytes reads as well as a small one.
     *
     * @param in the bytes, little-endian; read up to {@code out.length * bytes()}
     * @param out the destination
     * @return the number of elements filled, less than {@code out.length} when the channel ended
     * @throws IOException when reading fails
     */
    int readInto(ReadableByteChannel in, float[] out) throws IOException {
        ByteBuffer chunk = ByteBuffer.allocate(Math.max(bytes, (CHUNK / bytes) * bytes));
        int filled = 0;
        while (filled < out.length) {
            chunk.clear();
            long wanted = (long) (out.length - filled) * bytes;
            chunk.limit((int) Math.min(chunk.capacity(), wanted));
            while (chunk.hasRemaining()) {
                if (in.read(chunk) < 0) {
                    chunk.flip();
                    int n = chunk.remaining() / bytes;
                    decode(chunk, out, filled, n);
                    return filled + n;
                }
            }
            chunk.flip();
            int n = chunk.remaining() / bytes;
            decode(chunk, out, filled, n);
            filled += n;
        }
        return filled;
    }

    private static final int CHUNK = 1 << 20;

    /** IEEE 754 binary16 to binary32, subnormals and NaN included (Java 17 lacks the builtin). */
    static float halfToFloat(short half) {
        int h = half & 0xffff;
        int sign = (h & 0x8000) << 16;
        int exponent = (h >>> 10) & 0x1f;
        int mantissa = h & 0x3ff;
        if (exponent == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mantissa << 13));
        }
        if (exponent == 0) {
            if (mantissa == 0) {
                return Float.intBitsToFloat(sign);
            }
            float value = mantissa * 0x1p-24f; // subnormal: m * 2^-24
            return sign == 0 ? value : -value;
        }
        return Float.intBitsToFloat(sign | ((exponent + 112) << 23) | (mantissa << 13));
    }
}
