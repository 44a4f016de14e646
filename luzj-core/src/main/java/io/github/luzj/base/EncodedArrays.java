package io.github.luzj.base;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;

/**
 * Checks the counts in DJL's encodings against the bytes there are, before DJL's decoder
 * allocates by them: it makes an array of as many dimensions (and layout letters) as a header
 * claims, so one damaged count asks for gigabytes and ends the JVM with an OutOfMemoryError.
 */
public final class EncodedArrays {

    private EncodedArrays() {}

    /**
     * Walks the header of an encoded array ({@code NDArray.encode}): the magic as a UTF string
     * (a short length, then bytes), the version (1 to 3), from version 2 a byte that says
     * whether a name (UTF) follows, the sparse format and the data type (UTF), then the shape.
     *
     * @param b the encoding, from its start; left after the shape when it is sound
     * @return what is wrong ("claims 2147483632 dimensions"), or null when nothing is
     */
    public static String arrayHeaderProblem(ByteBuffer b) {
        try {
            skipUtf(b);
            int version = b.getInt();
            if (version > 1 && b.get() == 1) {
                skipUtf(b);
            }
            skipUtf(b);
            skipUtf(b);
            return shapeProblem(b);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return "has a header cut short";
        }
    }

    /**
     * Walks an encoded shape ({@code Shape.encode}): the dimension count, a long each, the
     * layout's length and a char each.
     *
     * @param b the encoding, at the shape; left after it when it is sound
     * @return what is wrong, or null when nothing is
     */
    public static String shapeProblem(ByteBuffer b) {
        try {
            int dims = b.getInt();
            if (dims < 0 || dims > b.remaining() / Long.BYTES) {
                return "claims " + dims + " dimensions";
            }
            b.position(b.position() + dims * Long.BYTES);
            int layout = b.getInt();
            if (layout < 0 || layout > b.remaining() / Character.BYTES) {
                return "claims a layout of " + layout + " letters";
            }
            b.position(b.position() + layout * Character.BYTES);
            return null;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return "has a header cut short";
        }
    }

    /**
     * Skips a string as {@code DataOutput.writeUTF} wrote it.
     *
     * @param b the bytes, at the string's length
     * @throws BufferUnderflowException or IllegalArgumentException past the end
     */
    public static void skipUtf(ByteBuffer b) {
        int length = b.getShort() & 0xFFFF;
        b.position(b.position() + length);
    }
}
