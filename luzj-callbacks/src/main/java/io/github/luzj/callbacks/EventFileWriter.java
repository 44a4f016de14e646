package io.github.luzj.callbacks;

import com.google.protobuf.CodedOutputStream;
import io.github.luzj.base.HostName;
import io.github.luzj.base.LuzjException;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32C;

/**
 * One TensorBoard event file: TFRecord framing (length, masked CRC-32C of the length, the
 * record, masked CRC-32C of the record) around {@code tensorflow.Event} messages
 * ({@code event.proto}: {@code wall_time} 1, {@code step} 2, {@code file_version} 3,
 * {@code summary} 5; {@code summary.proto}: {@code Summary.value} 1, {@code Value.tag} 1,
 * {@code Value.simple_value} 2), encoded with protobuf's wire format. Records are appended, so
 * TensorBoard can read the file while it grows; {@link #flush()} makes them visible.
 */
final class EventFileWriter implements AutoCloseable {

    private static final int MASK_DELTA = 0xa282ead8;

    private final Path file;
    private final OutputStream out;

    private EventFileWriter(Path file, OutputStream out) {
        this.file = file;
        this.out = out;
    }

    /**
     * Creates a new event file in {@code dir} (made if missing), never overwriting one, and
     * writes the file-version event TensorBoard expects first.
     */
    static EventFileWriter create(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new LuzjException(
                    "cannot create the TensorBoard log folder " + dir + " (" + e.getMessage()
                            + "); pass a writable folder",
                    e);
        }
        long now = System.currentTimeMillis() / 1000;
        String stem = "events.out.tfevents." + now + "." + host() + "." + ProcessHandle.current().pid();
        for (int n = 0; ; n++) {
            Path f = dir.resolve(stem + "." + n);
            try {
                OutputStream os =
                        new BufferedOutputStream(
                                Files.newOutputStream(
                                        f, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE));
                EventFileWriter w = new EventFileWriter(f, os);
                w.write(event(System.currentTimeMillis() / 1000.0, 0, 3, utf8("brain.Event:2")));
                w.flush();
                return w;
            } catch (FileAlreadyExistsException e) {
                // another run started in the same second: take the next number
            } catch (IOException e) {
                throw new LuzjException(
                        "cannot write the TensorBoard event file " + f + " (" + e.getMessage()
                                + "); pass a writable folder",
                        e);
            }
        }
    }

    /** The file written. */
    Path file() {
        return file;
    }

    /** Appends a scalar summary: {@code tag} = {@code value} at {@code step}. */
    void scalar(String tag, double value, long step) {
        try {
            ByteArrayOutputStream v = new ByteArrayOutputStream();
            CodedOutputStream cv = CodedOutputStream.newInstance(v);
            cv.writeString(1, tag);
            cv.writeFloat(2, (float) value);
            cv.flush();
            ByteArrayOutputStream s = new ByteArrayOutputStream();
            CodedOutputStream cs = CodedOutputStream.newInstance(s);
            cs.writeByteArray(1, v.toByteArray());
            cs.flush();
            write(event(System.currentTimeMillis() / 1000.0, step, 5, s.toByteArray()));
        } catch (IOException e) {
            throw failed(e);
        }
    }

    /** Makes everything appended so far visible to readers. */
    void flush() {
        try {
            out.flush();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    @Override
    public void close() {
        try {
            out.close();
        } catch (IOException e) {
            throw failed(e);
        }
    }

    private LuzjException failed(IOException e) {
        return new LuzjException(
                "writing the TensorBoard event file " + file + " failed (" + e.getMessage()
                        + "); check the disk and the folder's permissions",
                e);
    }

    /** An Event with wall time, step and one length-delimited field (file version or summary). */
    private static byte[] event(double wallTime, long step, int field, byte[] payload)
            throws IOException {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        CodedOutputStream ce = CodedOutputStream.newInstance(e);
        ce.writeDouble(1, wallTime);
        ce.writeInt64(2, step);
        ce.writeByteArray(field, payload);
        ce.flush();
        return e.toByteArray();
    }

    private void write(byte[] record) throws IOException {
        byte[] length =
                ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(record.length).array();
        out.write(length);
        out.write(maskedCrc(length));
        out.write(record);
        out.write(maskedCrc(record));
    }

    /** TFRecord's masked CRC-32C, little-endian. */
    static byte[] maskedCrc(byte[] data) {
        CRC32C crc = new CRC32C();
        crc.update(data);
        int c = (int) crc.getValue();
        int masked = ((c >>> 15) | (c << 17)) + MASK_DELTA;
        return ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt(masked).array();
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String host() {
        // TensorBoard's own writer puts the host in the name; no lookup, which may hang
        return HostName.orElse("localhost").replaceAll("[^A-Za-z0-9._-]", "_");
    }
}
