package io.github.luzj.data;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.github.luzj.base.LuzjException;
import java.io.ByteArrayInputStream;

/**
 * Fuzzes the IDX reader, plain and gzip'd, as image and as label file. Only a
 * {@link LuzjException} or data whose size matches its dimensions may come out. Regression
 * inputs: {@code src/test/resources/io/github/luzj/data/IdxReaderFuzzTestInputs/}; see
 * docs/fuzzing.md to fuzz.
 */
class IdxReaderFuzzTest {

    @FuzzTest(maxDuration = "10m")
    void readsOrRefuses(byte[] input) {
        for (int magic : new int[] {IdxReader.IMAGES_MAGIC, IdxReader.LABELS_MAGIC}) {
            try {
                IdxData d = IdxReader.read(new ByteArrayInputStream(input), "fuzz", magic);
                assertThat((long) d.count() * d.itemSize()).isEqualTo(d.data().length);
            } catch (LuzjException expected) {
                // the one way a bad file may fail
            }
        }
    }
}
