package io.github.luzj.optim;

import static org.assertj.core.api.Assertions.assertThat;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bundled TorchScript ({@code adam_step.pt}) is what {@code tools/torchscript/adam_step.py}
 * writes, and it loads. Its arithmetic is checked against PyTorch by {@link OracleTest}, and its
 * two methods against each other by {@link FlatAdamTest}.
 */
class AdamScriptTest {

    private static final Path GENERATOR = Path.of("..", "tools", "torchscript", "adam_step.py");

    @Test
    void theBundledScriptIsTheCompiledSourceOfItsGenerator(@TempDir Path dir)
            throws IOException, InterruptedException {
        String python = pythonWithTorch();
        Assumptions.assumeTrue(python != null, "no Python with torch here");
        Path out = dir.resolve("adam_step.pt");
        Process p =
                new ProcessBuilder(python, GENERATOR.toString(), out.toString())
                        .redirectErrorStream(true)
                        .start();
        String log = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(log).isZero();
        Path bundled = dir.resolve("bundled.pt");
        Files.write(bundled, bundled());
        assertThat(code(out))
                .as("the bundled adam_step.pt's source; regenerate it with %s", GENERATOR)
                .isEqualTo(code(bundled));
    }

    @Test
    void loadsIntoAManagerOfItsOwnAndClosesWithIt() {
        try (NDManager parent = NDManager.newBaseManager()) {
            AdamScript script = AdamScript.load(parent);
            assertThat(script.isOpen()).isTrue();
            script.close();
            assertThat(script.isOpen()).isFalse();
            assertThat(parent.isOpen()).isTrue();
        }
    }

    private static byte[] bundled() throws IOException {
        try (InputStream in = AdamScript.class.getResourceAsStream("adam_step.pt")) {
            assertThat(in).as("adam_step.pt on the class path").isNotNull();
            return in.readAllBytes();
        }
    }

    /**
     * The archive's compiled source, which LibTorch compiles again when it loads the file. Read
     * through the central directory: PyTorch stores its entries with data descriptors, which
     * {@code ZipInputStream} refuses.
     */
    private static String code(Path archive) throws IOException {
        try (ZipFile zip = new ZipFile(archive.toFile())) {
            ZipEntry e =
                    zip.stream()
                            .filter(x -> x.getName().endsWith("/code/__torch__.py"))
                            .findFirst()
                            .orElseThrow(() -> new AssertionError("no source in " + archive));
            try (InputStream in = zip.getInputStream(e)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
    }

    private static String pythonWithTorch() throws InterruptedException {
        for (String python : List.of("python3", "/usr/bin/python3")) {
            try {
                Process p =
                        new ProcessBuilder(python, "-c", "import torch")
                                .redirectErrorStream(true)
                                .start();
                p.getInputStream().readAllBytes();
                if (p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0) {
                    return python;
                }
            } catch (IOException notThere) {
                // try the next one
            }
        }
        return null;
    }
}
