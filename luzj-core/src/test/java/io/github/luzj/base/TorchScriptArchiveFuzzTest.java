package io.github.luzj.base;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.testing.StoredZip;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipOutputStream;

/**
 * Fuzzes the TorchScript archive's check with the input as its {@code data.pkl}, beside a
 * {@code code/} entry and a 24-byte tensor record {@code data/0}, so that the mutations reach
 * the pickle reader that compares storages with records. Only a {@link LuzjException} may come
 * out. Regression inputs: {@code src/test/resources/io/github/luzj/base/TorchScriptArchiveFuzzTestInputs/}
 * (the data.pkl of tools/torchscript/tiny_linear.py's Linear(2, 3), forged lengths); see
 * docs/fuzzing.md to fuzz.
 */
class TorchScriptArchiveFuzzTest {

    @FuzzTest(maxDuration = "3m")
    void checksOrRefuses(byte[] input) throws IOException {
        Path file = Files.createTempFile("luzj-fuzz-", ".pt");
        try {
            try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
                StoredZip.entry(zip, "m/code/__torch__.py", new byte[] {'x'});
                StoredZip.entry(zip, "m/data.pkl", input);
                StoredZip.entry(zip, "m/data/0", new byte[24]);
            }
            TorchScriptArchive.check(file);
        } catch (LuzjException expected) {
            // the one way a bad file may fail
        } finally {
            Files.deleteIfExists(file);
        }
    }

}
