package io.github.luzj.weights;

import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.nio.ByteBuffer;

/**
 * Encodes float values as a stored dtype's little-endian bytes: the inverse of
 * {@link StoredDtype#decode}. Half and bfloat16 round to nearest, ties to even, as PyTorch's
 * {@code .half()} and {@code .bfloat16()} do; integer dtypes take only whole values in range.
 */
final class ElementEncoder {

    private ElementEncoder() {}

    /**
     * Checks that every value fits {@code dtype}, before anything is written.
     *
     * @param name the tensor's name, for the message
     * @param dtype the dtype to store
     * @param values the values
     */
    static void check(String name, StoredDtype dtype, float[] values) {
        Checks.check(
                (long) values.length * dtype.bytes() <= Integer.MAX_VALUE,
                "tensor '%s' has %d values, more than one safetensors tensor of %s can hold here;"
                        + " split it",
                name,
                values.length,
                dtype);
        double[] range = range(dtype);
        if (range == null) {
            return;
        }
        for (int i = 0; i < values.length; i++) {
            float v = values[i];
            if (!(v == Math.rint(v) && v >= range[0] && v <= range[1])) {
                throw new LuzjException(
                        "cannot store tensor '" + name + "' as " + dtype + ": value " + v
                                + " at index " + i + " is not a whole number in [" + (long) range[0]
                                + ", " + (long) range[1] + "]; store it as F32 instead");
            }
        }
    }

    /** The whole numbers an integer dtype holds, or null for floating-point dtypes. */
    private static double[] range(StoredDtype dtype) {
        return switch (dtype) {
            case I64 -> new double[] {-0x1p63, 0x1p63 - 1024};
            case I32 -> new double[] {Integer.MIN_VALUE, Integer.MAX_VALUE};
            case I16 -> new double[] {Short.MIN_VALUE, Short.MAX_VALUE};
            case I8 -> new double[] {Byte.MIN_VALUE, Byte.MAX_VALUE};
            case U8 -> new double[] {0, 255};
            case BOOL -> new double[] {0, 1};
            default -> null;
        };
    }

    /**
     * Appends {@code values} to {@code out} as {@code dtype}'s bytes.
     *
     * @param dtype the dtype to store
     * @param values the values, already {@link #check checked}
     * @param out a little-endian buffer with room for them
     */
    static void encode(StoredDtype dtype, float[] values, ByteBuffer out) {
        switch (dtype) {
            case F32 -> out.asFloatBuffer().put(values);
            case F64 -> {
                for (float v : values) {
                    out.putDouble(v);
                }
            }
            case F16 -> {
                for (float v : values) {
                    out.putShort(floatToHalf(v));
                }
            }
            case BF16 -> {
                for (float v : values) {
                    out.putShort(floatToBfloat16(v));
                }
            }
            case I64 -> {
                for (float v : values) {
                    out.putLong((long) v);
                }
            }
            case I32 -> {
                for (float v : values) {
                    out.putInt((int) v);
                }
            }
            case I16 -> {
                for (float v : values) {
                    out.putShort((short) v);
                }
            }
            case I8, U8, BOOL -> {
                for (float v : values) {
                    out.put((byte) (int) v);
                }
            }
            default -> throw new IllegalStateException("no encoder for " + dtype);
        }
        if (dtype == StoredDtype.F32) {
            // asFloatBuffer() writes through a view and leaves this buffer's position alone
            out.position(out.position() + values.length * 4);
        }
    }

    /** IEEE 754 binary32 to binary16, round to nearest even; overflow becomes infinity. */
    static short floatToHalf(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        int exponent = (bits >>> 23) & 0xff;
        int mantissa = bits & 0x7fffff;
        if (exponent == 0xff) {
            // keep NaN a NaN even when its payload sits in the bits that are cut
            return (short) (sign | 0x7c00 | (mantissa != 0 ? 0x200 | (mantissa >>> 13) : 0));
        }
        int e = exponent - 127 + 15;
        if (e >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (e <= 0) {
            if (e < -10) {
                return (short) sign; // below half the smallest subnormal
            }
            int full = mantissa | 0x800000;
            int shift = 14 - e;
            return (short) (sign | roundShift(full, shift));
        }
        // a carry out of the mantissa bumps the exponent, up to infinity: the right answer
        return (short) (sign | ((e << 10) + roundShift(mantissa, 13)));
    }

    /** {@code value >> shift}, rounded to nearest, ties to even. */
    private static int roundShift(int value, int shift) {
        int kept = value >>> shift;
        int rest = value & ((1 << shift) - 1);
        int half = 1 << (shift - 1);
        if (rest > half || (rest == half && (kept & 1) != 0)) {
            kept++;
        }
        return kept;
    }

    /** IEEE 754 binary32 to bfloat16 (its top 16 bits), round to nearest even. */
    static short floatToBfloat16(float f) {
        int bits = Float.floatToRawIntBits(f);
        if (Float.isNaN(f)) {
            return (short) ((bits >>> 16) | 0x40);
        }
        return (short) ((bits + 0x7fff + ((bits >>> 16) & 1)) >>> 16);
    }
}
