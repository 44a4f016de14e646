package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.base.LuzjException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the CSV reader on any bytes, read without a label, with a numeric label and with a
 * categorical one (the seeds' label column is {@code label}). Only a {@link LuzjException} or a
 * dataset of finite numbers may come out. Regression inputs:
 * {@code src/test/resources/io/github/luzj/data/CsvDatasetFuzzTestInputs/}; see docs/fuzzing.md
 * to fuzz.
 */
class CsvDatasetFuzzTest {

    /** One file for every input: the reader takes a path. */
    private static final Path FILE;

    static {
        try {
            Path dir = Files.createTempDirectory("csv-fuzz");
            dir.toFile().deleteOnExit();
            FILE = dir.resolve("input.csv");
            FILE.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @FuzzTest(maxDuration = "10m")
    void readsOrRefuses(byte[] input) throws IOException {
        Files.write(FILE, input);
        read(CsvDataset.builder(FILE));
        read(CsvDataset.builder(FILE).label("label"));
        read(CsvDataset.builder(FILE).label("label").categorical());
    }

    private static void read(CsvDataset.Builder builder) {
        try {
            CsvDataset d = builder.build();
            assertThat(d.size()).isPositive();
            for (float[] row : d.features()) {
                assertThat(row).hasSize(d.featureNames().size());
                for (float v : row) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
            if (d.labeled()) {
                for (float v : d.labels()) {
                    assertThat(Float.isFinite(v)).isTrue();
                }
            }
        } catch (LuzjException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
