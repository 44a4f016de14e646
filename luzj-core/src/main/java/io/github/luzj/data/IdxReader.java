package io.github.luzj.data;

import io.github.luzj.base.InputFiles;
import io.github.luzj.base.LuzjException;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Reads LeCun's IDX files (MNIST, Fashion-MNIST), gzip'd or plain: a big-endian magic number
 * {@code 0x0000 08 NN} (unsigned bytes, {@code NN} dimensions), the dimensions, then the bytes.
 * Every way a file can be damaged (wrong magic, truncated, trailing bytes, broken gzip) is a
 * {@link LuzjException} that names the file and tells how to get a good copy.
 */
public final class IdxReader {

    /** Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, columns). */
    public static final int IMAGES_MAGIC = 0x00000803;

    /** Magic number of a label file: unsigned bytes, 1 dimension (count). */
    public static final int LABELS_MAGIC = 0x00000801;

    private static final String FIX =
            "; the file is damaged or not what its name says: delete it so luzj downloads it"
                    + " again, or re-download it";

    /** The most one Java array, and so one IDX file, holds. */
    private static final long MAX_BYTES = Integer.MAX_VALUE - 8;

    private IdxReader() {}

    /**
     * Reads an IDX file, detecting gzip from its first bytes.
     *
     * @param file the file
     * @param expectedMagic {@link #IMAGES_MAGIC}, {@link #LABELS_MAGIC} or another unsigned-byte
     *     magic
     * @return the dimensions and bytes
     */
    public static IdxData read(Path file, int expectedMagic) {
        InputFiles.checkReadable(file, "IDX file", "check the data folder, or pass another with --data");
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString(), expectedMagic);
        } catch (IOException e) {
            throw InputFiles.unreadable(file, "IDX file", e);
        }
    }

    /**
     * Reads an IDX stream, detecting gzip from its first bytes. The stream is not closed.
     *
     * @param stream the content
     * @param name the file's name, for error messages
     * @param expectedMagic the magic number the file must start with
     * @return the dimensions and bytes
     */
    public static IdxData read(InputStream stream, String name, int expectedMagic) {
        try {
            return parse(new DataInputStream(decompressed(stream)), name, expectedMagic);
        } catch (ZipException e) {
            throw new LuzjException(name + " is not a valid gzip file (" + e.getMessage() + ")" + FIX, e);
        } catch (EOFException e) {
            throw new LuzjException(name + " ends in the middle of its gzip stream (truncated)" + FIX, e);
        } catch (IOException e) {
            throw new LuzjException("cannot read IDX file " + name + ": " + e + FIX, e);
        }
    }

    private static InputStream decompressed(InputStream stream) throws IOException {
        BufferedInputStream in = new BufferedInputStream(stream, 1 << 16);
        in.mark(2);
        int b0 = in.read();
        int b1 = in.read();
        in.reset();
        boolean gzip = b0 == 0x1f && b1 == 0x8b;
        return gzip ? new BufferedInputStream(new GZIPInputStream(in, 1 << 16), 1 << 16) : in;
    }

    private static IdxData parse(DataInputStream in, String name, int expectedMagic)
            throws IOException {
        byte[] head = new byte[4];
        int got = in.readNBytes(head, 0, 4);
        if (got < 4) {
            throw new LuzjException(
                    String.format(Locale.ROOT, "%s is truncated: %d bytes, too short for an IDX header%s",
                            name, got, FIX));
        }
        int magic = ((head[0] & 0xFF) << 24) | ((head[1] & 0xFF) << 16) | ((head[2] & 0xFF) << 8)
                | (head[3] & 0xFF);
        if (magic != expectedMagic) {
            throw new LuzjException(
                    String.format(Locale.ROOT, "%s has magic number 0x%08X but %s (0x%08X) was expected%s",
                            name, magic, describe(expectedMagic), expectedMagic, FIX));
        }
        int[] dims = new int[expectedMagic & 0xFF];
        long total = 1;
        long itemSize = 1;
        for (int i = 0; i < dims.length; i++) {
            byte[] d = new byte[4];
            if (in.readNBytes(d, 0, 4) < 4) {
                throw new LuzjException(String.format(Locale.ROOT,
                        "%s is truncated inside its header (dimension %d of %d)%s",
                        name, i + 1, dims.length, FIX));
            }
            long dim = ((d[0] & 0xFFL) << 24) | ((d[1] & 0xFF) << 16) | ((d[2] & 0xFF) << 8) | (d[3] & 0xFF);
            total *= dim;
            itemSize *= i > 0 ? dim : 1;
            if (dim > Integer.MAX_VALUE || total > MAX_BYTES || itemSize > MAX_BYTES) {
                throw new LuzjException(String.format(Locale.ROOT,
                        "%s announces dimension %d = %d, more than a Java array can hold%s",
                        name, i + 1, dim, FIX));
            }
            dims[i] = (int) dim;
        }
        // grows with what is really there: a forged header on a short file allocates nothing big
        byte[] data = in.readNBytes((int) total);
        if (data.length < total) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "%s is truncated: its header announces dimensions %s (%d bytes of data) but only"
                            + " %d bytes follow%s",
                    name, Arrays.toString(dims), total, data.length, FIX));
        }
        // Reading to the end also makes GZIPInputStream check the CRC in the gzip trailer.
        if (in.read() >= 0) {
            throw new LuzjException(String.format(Locale.ROOT,
                    "%s has bytes after the %d its header %s announces%s",
                    name, data.length, Arrays.toString(dims), FIX));
        }
        return new IdxData(dims, data);
    }

    private static String describe(int magic) {
        if (magic == IMAGES_MAGIC) {
            return "an image file";
        }
        if (magic == LABELS_MAGIC) {
            return "a label file";
        }
        return "an unsigned-byte IDX file with " + (magic & 0xFF) + " dimensions";
    }
}
