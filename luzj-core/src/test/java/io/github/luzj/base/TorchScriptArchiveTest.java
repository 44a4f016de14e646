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

    /** The test fixture (tools/torchscript/tiny_linear.py) with some entries replaced or, for null, dropped. */
    private Path tinyLinear(java.util.Map<String, byte[]> changes) throws IOException {
        Path file = tmp.resolve("tiny" + changes.hashCode() + ".pt");
        Path original = tmp.resolve("tiny_linear.pt");
        if (!Files.exists(original)) {
            try (java.io.InputStream in = TorchScriptArchiveTest.class.getResourceAsStream("tiny_linear.pt")) {
                Files.copy(in, original);
            }
        }
        // ZipFile, not ZipInputStream: torch's stored entries carry data descriptors
        try (java.util.zip.ZipFile src = new java.util.zip.ZipFile(original.toFile());
                ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(file))) {
            for (ZipEntry e : java.util.Collections.list(src.entries())) {
                byte[] bytes = changes.containsKey(e.getName())
                        ? changes.get(e.getName()) : src.getInputStream(e).readAllBytes();
                if (bytes == null) {
                    continue;
                }
                io.github.luzj.testing.StoredZip.entry(out, e.getName(), bytes);
            }
        }
        return file;
    }

    @Test
    void aTensorRecordShorterThanItsStorageIsRefusedBeforeLibTorchReadsPastIt() throws IOException {
        assertThatCode(() -> TorchScriptArchive.check(tinyLinear(java.util.Map.of()))).doesNotThrowAnyException();
        // the weight of Linear(2, 3): 6 floats, 24 bytes, cut to one float
        assertThatThrownBy(() -> TorchScriptArchive.check(tinyLinear(java.util.Map.of("tiny_linear/data/0", new byte[4]))))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("the tensor record tiny_linear/data/0 holds 4 bytes where its FloatStorage needs 24")
                .hasMessageContaining("damaged (cut short or edited)");
        java.util.Map<String, byte[]> dropped = new java.util.HashMap<>();
        dropped.put("tiny_linear/data/1", null);
        assertThatThrownBy(() -> TorchScriptArchive.check(tinyLinear(dropped)))
                .isInstanceOf(LuzjException.class)
                .hasMessageContaining("names the tensor record tiny_linear/data/1, which the archive lacks");
    }

    @Test
    void aPickleThatIsNotOneOrForgesALengthIsDamagedNotAnAllocation() throws IOException {
        byte[] garbage = "not a pickle at all".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        // PROTO 2, then BINUNICODE claiming 2 GiB - 1 of text in a pickle of 8 bytes
        byte[] forged = {(byte) 0x80, 2, 'X', (byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, '.'};
        for (byte[] pkl : new byte[][] {garbage, forged, new byte[0]}) {
            assertThatThrownBy(() -> TorchScriptArchive.check(tinyLinear(java.util.Map.of("tiny_linear/data.pkl", pkl))))
                    .isInstanceOf(LuzjException.class)
                    .hasMessageContaining("tiny_linear/data.pkl is not a pickle torch.jit.save writes");
        }
    }
}
