package io.github.luzj.checkpoint;

import com.google.gson.JsonElement;
import io.github.luzj.base.Checks;
import io.github.luzj.base.LuzjException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The checkpoint's {@code states-<step>-<tag>.bin}: the bytes callbacks carry beside their JSON
 * state ({@code Callback.stateBytes}), by callback key. A magic number, a count, then per callback
 * its key (UTF-8) and its bytes, each after its length. Every length is checked against what the
 * file has left before anything is allocated by it.
 */
final class StatesFile {

    private static final int MAGIC = 0x4C5A4A53; // "LZJS"

    private StatesFile() {}

    static void write(Map<String, byte[]> bytes, DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(bytes.size());
        for (Map.Entry<String, byte[]> e : bytes.entrySet()) {
            byte[] key = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.writeInt(key.length);
            out.write(key);
            out.writeInt(e.getValue().length);
            out.write(e.getValue());
        }
    }

    /**
     * Reads what {@link #write} wrote, each key one of a callback with a state in
     * {@code checkpoint.json}.
     *
     * @param in the file
     * @param size its size in bytes
     * @param states the callbacks' JSON states, by key
     * @return the bytes by key
     * @throws LuzjException saying what is wrong ("holds bytes for 'x', which has no state")
     * @throws IOException when the file cannot be read
     */
    static Map<String, byte[]> read(DataInputStream in, long size, Map<String, JsonElement> states)
            throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        long[] left = {size};
        if (readInt(in, left) != MAGIC) {
            throw new LuzjException("is not a luzj states file");
        }
        int n = readInt(in, left);
        if (n < 1 || n > states.size()) {
            throw new LuzjException("holds " + n + " callbacks' bytes, but " + states.size()
                    + " callbacks have a state");
        }
        for (int i = 0; i < n; i++) {
            String name = new String(readSized(in, left), StandardCharsets.UTF_8);
            JsonElement state = states.get(name);
            if (out.containsKey(name) || state == null || state.isJsonNull()) {
                throw new LuzjException("holds bytes for '" + Checks.echo(name) + "', "
                        + (out.containsKey(name) ? "twice" : "which has no state in " + Checkpoint.META));
            }
            out.put(name, readSized(in, left));
        }
        if (left[0] != 0) {
            throw new LuzjException("has " + left[0] + " bytes after its last callback's");
        }
        return out;
    }

    private static int readInt(DataInputStream in, long[] left) throws IOException {
        if (left[0] < Integer.BYTES) {
            throw new LuzjException("is cut short");
        }
        left[0] -= Integer.BYTES;
        return in.readInt();
    }

    /** A length, then as many bytes; a length past what the file has left is damage. */
    private static byte[] readSized(DataInputStream in, long[] left) throws IOException {
        int length = readInt(in, left);
        if (length < 0 || length > left[0]) {
            throw new LuzjException("claims " + length + " bytes where " + left[0] + " are left");
        }
        left[0] -= length;
        byte[] b = new byte[length];
        in.readFully(b);
        return b;
    }
}
