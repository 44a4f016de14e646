package io.github.luzj.weights;

import io.github.luzj.base.InputFiles;
import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads a {@code state_dict} from a weight file, choosing the reader by the file's first bytes. */
public final class WeightFiles {

    private WeightFiles() {}

    /**
     * Reads a {@code .safetensors} file, or a PyTorch {@code .pth} zip archive.
     *
     * @param file the weight file
     * @return its tensors
     */
    public static StateDict read(Path file) {
        InputFiles.checkReadable(file, "weights file", "pass the path of a .safetensors or .pth file");
        byte[] magic = new byte[2];
        try (InputStream in = Files.newInputStream(file)) {
            int n = in.readNBytes(magic, 0, 2);
            if (n == 2 && magic[0] == 'P' && magic[1] == 'K') {
                return PthReader.read(file);
            }
        } catch (IOException e) {
            throw unreadable(file, e);
        }
        return Safetensors.read(file);
    }

    /**
     * Names why a weight file could not be read: missing, a directory, no permission, I/O.
     *
     * @param file the weight file
     * @param e the failure
     * @return the exception to throw
     */
    static LuzjException unreadable(Path file, IOException e) {
        return InputFiles.unreadable(file, "weights file", e);
    }
}
