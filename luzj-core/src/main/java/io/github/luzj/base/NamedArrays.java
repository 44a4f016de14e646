package io.github.luzj.base;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Arrays by name in one binary layout: a count, then per array its name ({@code writeUTF}), the
 * length of its encoding and DJL's encoding ({@code NDArray.encode}, shape and type included).
 * The checkpoint's weights file and a callback's arrays (an average of the weights) are written
 * this way, so one reader checks them all before DJL's decoder sees a byte.
 */
public final class NamedArrays {

    private NamedArrays() {}

    /**
     * Writes the arrays with their names.
     *
     * @param names the names, one an array
     * @param arrays the arrays
     * @param out the stream
     * @throws IOException when writing fails
     */
    public static void write(List<String> names, List<NDArray> arrays, DataOutputStream out)
            throws IOException {
        Checks.check(names.size() == arrays.size(), "%s names for %s arrays", names.size(), arrays.size());
        out.writeInt(arrays.size());
        for (int i = 0; i < arrays.size(); i++) {
            byte[] bytes = arrays.get(i).encode();
            out.writeUTF(names.get(i));
            out.writeInt(bytes.length);
            out.write(bytes);
        }
    }

    /**
     * Reads what {@link #write} wrote, into {@code manager}.
     *
     * @param in the stream, at the count
     * @param manager where the arrays are made; the caller closes it when a read fails
     * @param what the file, for messages ("the weights file")
     * @return the arrays by name, in the written order
     * @throws IOException when reading fails
     * @throws LuzjException when the bytes are damaged, truncated or name an array twice
     */
    public static Map<String, NDArray> read(DataInputStream in, NDManager manager, String what)
            throws IOException {
        Map<String, NDArray> read = new LinkedHashMap<>();
        try {
            int n = in.readInt();
            if (n < 0) {
                throw new LuzjException(what + " is damaged: it claims " + n + " arrays");
            }
            for (int i = 0; i < n; i++) {
                String name = in.readUTF();
                int length = in.readInt();
                if (length < 0 || length > in.available() && length > (1 << 20)) {
                    // more than is left: a damaged length, not a reason to allocate it
                    throw damaged(what, name, "claims " + length + " bytes");
                }
                byte[] bytes = new byte[length];
                in.readFully(bytes);
                String problem = EncodedArrays.arrayHeaderProblem(ByteBuffer.wrap(bytes));
                if (problem != null) {
                    throw damaged(what, name, problem);
                }
                NDArray array;
                try {
                    array = manager.decode(bytes);
                } catch (RuntimeException e) {
                    throw new LuzjException(what + " is damaged: array " + name
                            + " cannot be decoded (" + e.getMessage() + ")", e);
                }
                if (read.put(name, array) != null) {
                    throw damaged(what, name, "is written twice");
                }
            }
        } catch (EOFException e) {
            throw new LuzjException(what + " is truncated; it was not written completely", e);
        }
        return read;
    }

    /**
     * Checks bytes {@link #write} should have written, without decoding an array: the count,
     * each name and length against what is left, each array's header, nothing left over.
     *
     * @param bytes the bytes
     * @return what is wrong ("claims 9 bytes where 4 are left"), or null when nothing is
     */
    public static String problem(byte[] bytes) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        try {
            int n = b.getInt();
            if (n < 0) {
                return "claims " + n + " arrays";
            }
            for (int i = 1; i <= n; i++) {
                EncodedArrays.skipUtf(b);
                int length = b.getInt();
                if (length < 0 || length > b.remaining()) {
                    return "claims " + length + " bytes for array " + i + " where " + b.remaining() + " are left";
                }
                String header = EncodedArrays.arrayHeaderProblem(b.slice(b.position(), length));
                if (header != null) {
                    return "has an array " + i + " that " + header;
                }
                b.position(b.position() + length);
            }
            return b.hasRemaining() ? "has " + b.remaining() + " bytes after its last array" : null;
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            return "is cut short";
        }
    }

    private static LuzjException damaged(String what, String name, String problem) {
        return new LuzjException(what + " is damaged: array " + name + " " + problem);
    }
}
