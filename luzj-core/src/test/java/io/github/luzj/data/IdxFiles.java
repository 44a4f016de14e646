package io.github.luzj.data;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;

/** Writes small IDX files for tests. */
final class IdxFiles {

    private IdxFiles() {}

    /** The bytes of an IDX file with {@code magic}, {@code dims} and {@code data}. */
    static byte[] bytes(int magic, int[] dims, byte[] data) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeInt(magic);
            for (int d : dims) {
                out.writeInt(d);
            }
            out.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return bytes.toByteArray();
    }

    /** Writes {@code content} to {@code file}, gzip'd when the name ends with {@code .gz}. */
    static Path write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        try (OutputStream raw = Files.newOutputStream(file);
                OutputStream out = file.toString().endsWith(".gz") ? new GZIPOutputStream(raw) : raw) {
            out.write(content);
        }
        return file;
    }

    /** {@code n} images of {@code rows × cols} whose pixel {@code p} of image {@code i} is {@code (i + p) % 256}. */
    static byte[] images(int n, int rows, int cols) {
        byte[] data = new byte[n * rows * cols];
        for (int i = 0; i < n; i++) {
            for (int p = 0; p < rows * cols; p++) {
                data[i * rows * cols + p] = (byte) ((i + p) % 256);
            }
        }
        return data;
    }

    /** {@code n} labels {@code i % 10}. */
    static byte[] labels(int n) {
        byte[] data = new byte[n];
        for (int i = 0; i < n; i++) {
            data[i] = (byte) (i % 10);
        }
        return data;
    }

    /** Writes one split of a tiny MNIST-like dataset ({@code n} images of 28×28) into {@code dir}. */
    static void writeSplit(Path dir, Split split, int n, boolean gzip) throws IOException {
        String gz = gzip ? ".gz" : "";
        write(dir.resolve(split.imagesFile() + gz),
                bytes(IdxReader.IMAGES_MAGIC, new int[] {n, 28, 28}, images(n, 28, 28)));
        write(dir.resolve(split.labelsFile() + gz),
                bytes(IdxReader.LABELS_MAGIC, new int[] {n}, labels(n)));
    }
}
