package io.github.luzj.vision;

import io.github.luzj.LuzjException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a {@code state_dict} from a weight file, choosing the reader by the file's first bytes. */
final class WeightFiles {

    private WeightFiles() {}

    /**
     * Reads a {@code .safetensors} file, or a PyTorch {@code .pth} zip archive.
     *
     * @param file the weight file
     * @return its tensors
     */
    static StateDict read(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new LuzjException(
                    "weights file " + file + " does not exist; pass the path of a .safetensors"
                            + " or .pth file");
        }
        byte[] magic = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(magic, 0, 2);
            if (n == 2 && magic[0] == 'P' && magic[1] == 'K') {
                return PthReader.read(file);
            }
        } catch (IOException e) {
            throw new LuzjException("cannot read weights file " + file + ": " + e.getMessage(), e);
        }
        return Safetensors.read(file);
    }
}
