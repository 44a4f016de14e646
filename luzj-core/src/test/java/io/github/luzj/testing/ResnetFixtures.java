package io.github.luzj.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The ResNet-18 fixtures: read through env {@code LUZJ_FIXTURES}, else
 * {@code <module>/../../shared/fixtures}.
 */
public final class ResnetFixtures {

    private ResnetFixtures() {}

    public static Path dir() {
        String env = System.getenv("LUZJ_FIXTURES");
        Path fixtures =
                env != null && !env.isBlank()
                        ? Path.of(env)
                        : Path.of("").toAbsolutePath().resolve("../../shared/fixtures").normalize();
        Path dir = fixtures.resolve("resnet18");
        if (!Files.isDirectory(dir)) {
            throw new IllegalStateException(
                    "ResNet-18 fixtures not found at " + dir + "; set LUZJ_FIXTURES to the"
                            + " fixtures folder (the one holding resnet18/)");
        }
        return dir;
    }

    public static Path safetensors() {
        return dir().resolve("resnet18.safetensors");
    }

    public static Path torchScript() {
        return dir().resolve("resnet18_embedding.pt");
    }

    /** Reads {@code reference.npz} with DJL's own npz decoder; arrays are named as in the file. */
    public static NDList reference(NDManager manager) {
        try {
            return NDList.decode(manager, Files.readAllBytes(dir().resolve("reference.npz")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static float maxAbsDiff(NDArray a, NDArray b) {
        if (!a.getShape().equals(b.getShape())) {
            throw new AssertionError("shapes differ: " + a.getShape() + " vs " + b.getShape());
        }
        return a.sub(b).abs().max().getFloat();
    }
}
