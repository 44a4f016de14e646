package io.github.luzj.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import io.github.luzj.base.LuzjException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The states file's reader on any bytes: the callbacks' bytes come back, each under a key with a
 * state, or one {@link LuzjException} says what is wrong; never another exception, and never an
 * allocation larger than the file. Inside {@code mvn verify} it replays the committed corpus
 * ({@code StatesFileFuzzTestInputs/readsAnyStatesFile}: a file {@link StatesFile#write} wrote for
 * two callbacks); {@code JAZZER_FUZZ=1} fuzzes it (see docs/fuzzing.md).
 */
class StatesFileFuzzTest {

    private static final Map<String, JsonElement> STATES = new LinkedHashMap<>();

    static {
        STATES.put("ExponentialMovingAverage(decay 0.9)", new JsonObject());
        STATES.put("Timer", JsonNull.INSTANCE);
        STATES.put("ema#2", new JsonObject());
    }

    @FuzzTest(maxDuration = "3m")
    void readsAnyStatesFile(byte[] data) throws IOException {
        try {
            Map<String, byte[]> read = StatesFile.read(
                    new DataInputStream(new ByteArrayInputStream(data)), data.length, STATES);
            assertThat(read).isNotEmpty();
            read.forEach((k, v) -> {
                assertThat(STATES.get(k)).isNotNull().isNotEqualTo(JsonNull.INSTANCE);
                assertThat(v.length).isLessThanOrEqualTo(data.length);
            });
        } catch (LuzjException e) {
            assertThat(e.getMessage()).isNotBlank();
        }
    }
}
