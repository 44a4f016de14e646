package io.github.luzj.base;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TorchScriptArchiveTest {

    @TempDir Path tmp;

    /** A zip with a code/ entry and {@code entries} deflated entries of {@code size} zero bytes each. */
    private Path archive(int entries, int size) throws IOException {
        Path file = tmp.resolve("m" + entries + "x" + size + ".pt");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
            zip.putNextEntry(new ZipEntry("m/code/__torch__.py"));
            zip.write('x');
            for (int i = 0; i < entries; i++) {
                zip.putNextEntry(new ZipEntry("m/data/" + i));
                zip.write(new byte[size]);
            }
        }
        return file;
    }

    @Test
    void theCompressedEntriesTogetherStayWithinTheBudget() throws IOException {
        // each entry is within the budget alone, as each of a bomb's thousand aliases of one entry is
        assertThatThrownBy(() -> TorchScriptArchive.check(archive(5, 1 << 20), 3L << 20))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("entry m/data/2 inflates past 3,145,728 bytes inflated from all"
                        + " its entries together")
                .hasMessageContaining("zip bomb");
        // three entries and the one-byte code/ file fit a budget of their sum exactly
        assertThatCode(() -> TorchScriptArchive.check(archive(3, 1 << 20), (3L << 20) + 1))
                .doesNotThrowAnyException();
    }
}
